/*
 * Who may use greenfleet-web: the users file (one "name:crypt-hash:role[:department]"
 * line each), checked with the system's crypt(3); role "it" sees everything,
 * role "head" one department's pages.
 */
#ifndef GF_AUTH_H
#define GF_AUTH_H

#include <stdio.h>

#include "conf.h"

enum web_role { WEB_ROLE_IT, WEB_ROLE_HEAD };

struct web_user {
	char *name;
	char *hash;
	enum web_role role;
	char *dept;			/* role head: a configured department's id */
};

struct web_users {
	struct web_user *v;
	size_t n;
};

/*
 * Reads PATH (which must not be group- or world-writable) for CONF's
 * departments. NULL after printing every "PATH:LINE: message" to ERRS.
 */
struct web_users *auth_load(const char *path, const struct gf_conf *conf, FILE *errs);
void auth_free(struct web_users *u);

/*
 * The user NAME if PASSWORD is its password, else NULL. Takes as long for an
 * unknown name as for a wrong password; compares the hashes in constant time.
 */
const struct web_user *auth_check(const struct web_users *u, const char *name,
    const char *password);

#endif
