/*
 * Which storage is a disk that can fill up. Some storage is full by nature
 * (an ISO image, a snap's squashfs, a CD), lives in RAM or on another
 * machine: advising a larger disk for it is wrong, so it is left out of the
 * disk figures and of repair advice.
 */
#ifndef GF_STORAGE_H
#define GF_STORAGE_H

#include "reading.h"

/*
 * Why storage row S is not a disk that can fill up, from the most trusted
 * evidence: hrStorageType, then hrFSTable (type, access), then its
 * description (the mount point, or a Windows drive); NULL when it counts.
 */
const char *storage_excluded(const struct gf_storage *s);

#endif
