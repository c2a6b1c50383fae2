/*
 * Which storage is a disk that can fill up. Some storage is full by nature
 * (an ISO image, a snap's squashfs, a CD), lives in RAM or on another
 * machine: advising a larger disk for it is wrong, so it is left out of the
 * disk figures and of repair advice.
 */
#ifndef GF_STORAGE_H
#define GF_STORAGE_H

#include <stdint.h>

#define GF_STORAGE_DESCR	64

/* hrStorageType leaf under 1.3.6.1.2.1.25.2.1 (HOST-RESOURCES-TYPES) */
enum { GF_STORAGE_OTHER = 1, GF_STORAGE_RAM = 2, GF_STORAGE_VIRTUAL = 3,
	GF_STORAGE_FIXED_DISK = 4, GF_STORAGE_REMOVABLE = 5, GF_STORAGE_FLOPPY = 6,
	GF_STORAGE_CD = 7, GF_STORAGE_RAM_DISK = 8, GF_STORAGE_FLASH = 9,
	GF_STORAGE_NETWORK = 10 };

/* hrFSType leaf under 1.3.6.1.2.1.25.3.9, and hrFSAccess (HOST-RESOURCES-MIB) */
enum { GF_FS_OTHER = 1, GF_FS_UNKNOWN = 2, GF_FS_ISO9660 = 12, GF_FS_ROCKRIDGE = 13,
	GF_FS_NFS = 14, GF_FS_NETWARE = 15, GF_FS_AFS = 16, GF_FS_DFS = 17,
	GF_FS_APPLESHARE = 18, GF_FS_RFS = 19 };
enum { GF_FS_READ_WRITE = 1, GF_FS_READ_ONLY = 2 };

struct gf_storage {
	int index;
	char descr[GF_STORAGE_DESCR];	/* GF_SHORT */
	int type;
	uint64_t units;		/* bytes per allocation unit */
	uint64_t size;		/* in units */
	uint64_t used;		/* in units */
	int fs_type;		/* hrFSType of the file system on it, 0 unknown */
	int fs_access;		/* hrFSAccess, 0 unknown */
};

/*
 * Why storage row S is not a disk that can fill up, from the most trusted
 * evidence: hrStorageType, then hrFSTable (type, access), then its
 * description (the mount point, or a Windows drive); NULL when it counts.
 */
const char *storage_excluded(const struct gf_storage *s);

#endif
