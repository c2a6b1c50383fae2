/* Storage that is full by nature, in RAM or remote: not a disk problem. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "storage.h"

/* Every hrStorageType but hrStorageFixedDisk, as a reason. */
static const char *const type_reasons[] = {
	[GF_STORAGE_OTHER] = "other storage (hrStorageType)",
	[GF_STORAGE_RAM] = "RAM (hrStorageType)",
	[GF_STORAGE_VIRTUAL] = "virtual memory (hrStorageType)",
	[GF_STORAGE_REMOVABLE] = "removable disk (hrStorageType)",
	[GF_STORAGE_FLOPPY] = "floppy disk (hrStorageType)",
	[GF_STORAGE_CD] = "compact disc (hrStorageType)",
	[GF_STORAGE_RAM_DISK] = "RAM disk (hrStorageType)",
	[GF_STORAGE_FLASH] = "flash memory (hrStorageType)",
	[GF_STORAGE_NETWORK] = "network disk (hrStorageType)",
};

/*
 * Mount points (net-snmp's hrStorageDescr) of media that are read-only,
 * removable or in RAM, first match first: /run/media before /run.
 */
static const struct {
	const char *dir;
	const char *why;
} mount_rules[] = {
	{ "/snap", "snap package, squashfs (mount point)" },
	{ "/var/lib/snapd/snap", "snap package, squashfs (mount point)" },
	{ "/media", "removable media (mount point)" },
	{ "/run/media", "removable media (mount point)" },
	{ "/mnt/cdrom", "removable media (mount point)" },
	{ "/cdrom", "removable media (mount point)" },
	{ "/dev", "RAM disk (mount point)" },
	{ "/run", "RAM disk (mount point)" },
	{ "/sys", "RAM disk (mount point)" },
};

/* Windows drive descriptions of removable media, when the type says fixed disk. */
static const char *const drive_words[] = { "compact disc", "cd-rom", "dvd", "removable disk",
	"floppy" };

/* Whether PATH is DIR or a path below it. */
static int
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* hrFSTable's word on the file system, when the device has it. */
static const char *
fs_reason(const struct gf_storage *s)
{
	if (s->fs_type == GF_FS_ISO9660)
		return "ISO 9660 file system (hrFSType)";
	if (s->fs_type == GF_FS_ROCKRIDGE)
		return "Rock Ridge CD file system (hrFSType)";
	if (s->fs_type >= GF_FS_NFS && s->fs_type <= GF_FS_RFS)
		return "network file system (hrFSType)";
	if (s->fs_access == GF_FS_READ_ONLY)
		return "read-only file system (hrFSAccess)";
	return NULL;
}

/* A Windows drive ("A:\", "D:\ Label:... Serial Number ...") that is removable. */
static const char *
drive_reason(const char *descr)
{
	char name[GF_STORAGE_DESCR], *label;
	size_t i;

	/* The label is the user's text ("C:\ Label:DVD rips"): only the part before it counts. */
	snprintf(name, sizeof(name), "%s", descr);
	if ((label = strstr(name, " Label:")) != NULL)
		*label = '\0';
	if ((name[0] == 'A' || name[0] == 'B' || name[0] == 'a' || name[0] == 'b') &&
	    name[1] == ':' && (name[2] == '\\' || name[2] == '\0'))
		return "floppy drive (description)";
	for (i = 0; i < sizeof(drive_words) / sizeof(drive_words[0]); i++)
		if (strcasestr(name, drive_words[i]) != NULL)
			return "removable drive (description)";
	return NULL;
}

const char *
storage_excluded(const struct gf_storage *s)
{
	const char *why;
	size_t i;

	if (s->type != GF_STORAGE_FIXED_DISK) {
		if (s->type > 0 && (size_t)s->type < sizeof(type_reasons) / sizeof(type_reasons[0]))
			return type_reasons[s->type];
		return "no known hrStorageType";
	}
	if ((why = fs_reason(s)) != NULL)
		return why;
	if (s->descr[0] != '/')
		return drive_reason(s->descr);
	for (i = 0; i < sizeof(mount_rules) / sizeof(mount_rules[0]); i++)
		if (under(s->descr, mount_rules[i].dir))
			return mount_rules[i].why;
	return NULL;
}
