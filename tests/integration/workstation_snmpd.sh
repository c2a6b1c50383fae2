#!/bin/sh
# Workstations: this machine's own snmpd (HOST-RESOURCES for real) and recordings of
# a Windows XP desktop, a Raspberry Pi and an ESXi host served by snmpsim.
. "$(dirname "$0")/lib.sh"
need rrdtool state

start_snmpsim windows_xp-workstation linux_raspbian10-raspberrypi vmware_esxi7-hp-dl380p-gen8
start_snmpd
CONF=$T/gf.conf
write_conf "$CONF" "devices = (
$(device xp workstation 127.0.0.1 "$SIM_PORT" windows_xp-workstation),
$(device pi workstation 127.0.0.1 "$SIM_PORT" linux_raspbian10-raspberrypi etat-civil),
$(device esxi workstation 127.0.0.1 "$SIM_PORT" vmware_esxi7-hp-dl380p-gen8),
$(device self workstation 127.0.0.1 "$SNMPD_PORT" public)
);"
$GF_WRAP "$GREENFLEETD" -c "$CONF" --once 2>"$T/daemon.log"
check "greenfleetd --once exits 0" 0 $?

q() { state_sql "$1"; }
rec() { grep "^$2|" "$DATA/$1.snmprec" | cut -d'|' -f3; }

# Windows XP, figures worked out by hand from the recording:
# RAM 9686/15852 units = 61 %; disks C: 1884128x16384 + Z: 20191655x4096 over
# 1952447x16384 + 21304198x4096 = 95 % (the CD drive D: is not a fixed disk).
check "xp row" "232944|1014576|61|95" "$(q "select uptime_s, memory_kb, mem_pct, disk_pct from device_state where id='xp'")"
check_match "xp sysDescr" "^Hardware: x86 Family 6 Model 9 Stepping" "$(status_field xp 8)"
check "xp workstation shows no pages" - "$(status_field xp 6)"
check "pi memory from hrMemorySize" "$(rec linux_raspbian10-raspberrypi 1.3.6.1.2.1.25.2.2.0)" "$(q "select memory_kb from device_state where id='pi'")"
check "pi uptime from hrSystemUptime" "$(( $(rec linux_raspbian10-raspberrypi 1.3.6.1.2.1.25.1.1.0) / 100 ))" "$(status_field pi 7)"
check "esxi memory" "$(rec vmware_esxi7-hp-dl380p-gen8 1.3.6.1.2.1.25.2.2.0)" "$(q "select memory_kb from device_state where id='esxi'")"
check "esxi department" urbanisme "$(status_field esxi 3)"
check "pi department" etat-civil "$(status_field pi 3)"

# This machine, through the real snmpd.
check "self memory is this machine's MemTotal" "$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)" "$(q "select memory_kb from device_state where id='self'")"
check "self sysDescr is this machine's uname" "$(uname -s) $(uname -n) $(uname -r) $(uname -v) $(uname -m)" "$(status_field self 8)"
up=$(status_field self 7)
host_up=$(cut -d. -f1 /proc/uptime)
check "self uptime matches /proc/uptime (+-10 s)" yes "$([ "$up" -ge $((host_up - 10)) ] && [ "$up" -le $((host_up + 10)) ] && echo yes || echo "no: $up vs $host_up")"
check_match "self has a disk figure" "^[0-9]+$" "$(q "select disk_pct from device_state where id='self'")"

R=$T/data/rrd
check "xp RRD mem" 61 "$(rrd_last "$R/xp.rrd" mem)"
check "xp RRD disk" 95 "$(rrd_last "$R/xp.rrd" disk)"
check "xp RRD uptime" 232944 "$(rrd_last "$R/xp.rrd" uptime)"
check_match "workstation RRD has the host data sources" "ds\[baddev\]" "$(rrdtool info "$R/self.rrd")"
finish
