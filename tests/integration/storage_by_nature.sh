#!/bin/sh
# Storage that is full by nature is no disk problem: an ISO image on a RHEL 8
# server (hrFSTable: ISO 9660, read-only), Ubuntu's snap squashfs loop mounts
# (no hrFSTable: the mount point), a Windows CD, tmpfs mounts. They get no
# "larger disk" advice and stay out of the disk figure; a real fixed disk
# that is full still gets it, and `greenfleet fleet` names the one it judged.
. "$(dirname "$0")/lib.sh"
need state faketime

export TZ=Europe/Paris
S=$T/sim
mkdir -p "$S"
# Controls, edited copies: the same hosts with / really full (95 % and 93 %).
sed 's/^1.3.6.1.2.1.25.2.3.1.6.31|2|5242880$/1.3.6.1.2.1.25.2.3.1.6.31|2|12451840/' \
	"$DATA/scenario_rhel8-iso.snmprec" >"$S/rhel8-full.snmprec"
sed 's/^1.3.6.1.2.1.25.2.3.1.6.32|2|6891156$/1.3.6.1.2.1.25.2.3.1.6.32|2|14241723/' \
	"$DATA/scenario_ubuntu-snap.snmprec" >"$S/ubuntu-full.snmprec"
start_snmpsim scenario_rhel8-iso scenario_ubuntu-snap scenario_winxp-cd

CONF=$T/gf.conf
server() {
	printf '  { id = "%s"; kind = "workstation"; type = "server"; host = "127.0.0.1"; port = %s;\n    department = "urbanisme"; snmp = { version = "2c"; community = "%s"; }; }' \
		"$1" "$SIM_PORT" "$2"
}
write_conf "$CONF" "devices = (
$(server rhel scenario_rhel8-iso),
$(server rhel-full rhel8-full),
$(device ubuntu workstation 127.0.0.1 "$SIM_PORT" scenario_ubuntu-snap),
$(device ubuntu-full workstation 127.0.0.1 "$SIM_PORT" ubuntu-full),
$(device xp-cd workstation 127.0.0.1 "$SIM_PORT" scenario_winxp-cd)
);"
faketime -f '@2026-11-20 09:00:00' "$GREENFLEETD" -c "$CONF" --once 2>>"$T/daemon.log" ||
	fail "greenfleetd --once"
gf() { faketime -f '@2026-11-22 12:00:00' "$GREENFLEET" -c "$CONF" "$@"; }
# row DEVICE: "state,component,reason,part,co2e_avoided_kg" of the CSV
row() { gf fleet --format csv | tr -d '\r' | awk -F, -v d="$1" '$1 == d' | cut -d, -f7-; }
q() { state_sql "$1"; }

check "RHEL 8: / 40 %, /boot 30 %, two ISO images 100 % full: no advice" "ok,,,," "$(row rhel)"
check "RHEL 8: the judged disk is / at 40 % (not /media/iso, not the ISO hrFSTable names)" \
	"40|/" "$(q "select disk_pct, disk_name from health where device='rhel'")"
# (5242880 + 77876) x 4096 over (13107200 + 259584) x 4096: / and /boot only.
check "RHEL 8: the disk figure counts / and /boot only" 39 \
	"$(q "select disk_pct from device_state where id='rhel'")"
check "Ubuntu: eight snaps 100 % full, / at 45 %: no advice" "ok,,,," "$(row ubuntu)"
check "Ubuntu: the judged disk is / at 45 %" "45|/" \
	"$(q "select disk_pct, disk_name from health where device='ubuntu'")"
check "Windows: a full CD (hrStorageCompactDisc), C: 49 %: no advice" "ok,,,," "$(row xp-cd)"
check "Windows: the judged disk is C: (976223 of 1952447 units: 49 %)" "49|C:\\ Label:  Serial Number 1848504c" \
	"$(q "select disk_pct, disk_name from health where device='xp-cd'")"
# Controls: 249 - 11.6 kg for a server, 211 - 11.6 for a desktop.
check "control: RHEL 8 with / 95 % full (and the ISO): a larger disk, / named" \
	"repair,disk,/ 95 % full (rule: > 90 %),larger disk or SSD,237.4" "$(row rhel-full)"
check "control: Ubuntu with / 93 % full (and the snaps): a larger disk, / named" \
	"repair,disk,/ 93 % full (rule: > 90 %),larger disk or SSD,199.4" "$(row ubuntu-full)"
check "text: the judged file system in the advice" \
	"rhel-full            workstation urbanisme       0.0 first-seen 2026-11-20 repair      disk      / 95 % full (rule: > 90 %)               larger disk or SSD 237.4" \
	"$(gf fleet | grep '^rhel-full ')"
check "text: no advice for the host with ISO images" \
	"rhel                 workstation urbanisme       0.0 first-seen 2026-11-20 ok          -         -                                        -                  -" \
	"$(gf fleet | grep '^rhel ')"
json=$(gf fleet --format json)
check_match "JSON: the judged file system and the carbon avoided" \
	'"device": "ubuntu-full", "kind": "workstation", "department": "urbanisme", "age_years": 0.0, "age_source": "first-seen", "since": "2026-11-20", "state": "repair", "component": "disk", "reason": "/ 93 % full \(rule: > 90 %\)", "part": "larger disk or SSD", "co2e_avoided_kg": 199.4' "$json"
check_match "JSON: no advice for the snaps" \
	'"device": "ubuntu", "kind": "workstation", "department": "urbanisme", "age_years": 0.0, "age_source": "first-seen", "since": "2026-11-20", "state": "ok", "component": null, "reason": null, "part": null, "co2e_avoided_kg": null' "$json"
finish
