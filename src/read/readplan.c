/* What every read plan shares: the system group. */
#include "config.h"

#include "readplan.h"
#include "util.h"

void
readplan_sys_scalar(struct gf_reading *r, int i, const netsnmp_variable_list *vb)
{
	int64_t v;

	switch (i) {
	case RP_SYSDESCR:
		gf_vb_str(vb, r->sys_descr, sizeof(r->sys_descr));
		break;
	case RP_SYSOBJID:
		if (vb->type == ASN_OBJECT_ID)
			gf_oid_fmt(r->sys_object_id, sizeof(r->sys_object_id),
			    vb->val.objid, vb->val_len / sizeof(oid));
		break;
	case RP_SYSUPTIME:
		if (vb->type == ASN_TIMETICKS && gf_vb_int(vb, &v) == 0) {
			r->has_sys_uptime = 1;
			r->sys_uptime = (uint32_t)v;
		}
		break;
	case RP_SYSNAME:
		gf_vb_str(vb, r->sys_name, sizeof(r->sys_name));
		break;
	case RP_SYSLOCATION:
		gf_vb_str(vb, r->sys_location, sizeof(r->sys_location));
		break;
	}
}
