# bench/fleet.sh -- sourced by bench/run.sh and bench/pollers.sh: the
# simulated printer fleet they both poll, and how they measure CPU.
#
# The fleet: NPORTS UDP ports on 127.0.0.1 spread over NPROCS snmpd
# processes, every port answering COMMS communities c0..c(COMMS-1), so that
# device i = (port PORTS[i % NPORTS], community "c$((i / NPORTS))"). Every
# device answers as the same printer (PRINTER_OVERRIDES).
#
# Needs from the caller: TMP, PY, SNMPD, PIDS (an array the caller's cleanup
# kills), die and say.

# ticks PID -> utime+stime of the whole process (all threads), in clock ticks; -1 when gone
ticks() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo -1; return; }
	s=${s##*) }
	set -- $s
	echo $(( ${12} + ${13} ))
}
sum_ticks() { local s=0 p t; for p in "$@"; do t=$(ticks "$p"); [ "$t" -ge 0 ] && s=$((s + t)); done; echo $s; }
hwm_mb() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }
now() { date +%s.%N; }
fcalc() { awk "BEGIN { printf \"%.${2:-3}f\", $1 }"; }

PRINTER_OVERRIDES='override 1.3.6.1.2.1.1.1.0 octet_str "BENCH PRINTER"
override 1.3.6.1.2.1.1.2.0 object_id 1.3.6.1.4.1.11.2.3.9.1
override 1.3.6.1.2.1.1.5.0 octet_str "bench-printer"
override 1.3.6.1.2.1.1.6.0 octet_str "Bench Lab"
override 1.3.6.1.2.1.25.3.2.1.5.1 integer 2
override 1.3.6.1.2.1.25.3.5.1.1.1 integer 3
override 1.3.6.1.2.1.25.3.5.1.2.1 octet_str ""
override 1.3.6.1.2.1.43.10.2.1.4.1.1 counter 121104
override 1.3.6.1.2.1.43.10.2.1.3.1.1 integer 7
override 1.3.6.1.2.1.43.5.1.1.17.1 octet_str "SN123"
override 1.3.6.1.2.1.43.11.1.1.5.1.1 integer 3
override 1.3.6.1.2.1.43.11.1.1.6.1.1 octet_str "Black Toner"
override 1.3.6.1.2.1.43.11.1.1.7.1.1 integer 19
override 1.3.6.1.2.1.43.11.1.1.8.1.1 integer 100
override 1.3.6.1.2.1.43.11.1.1.9.1.1 integer 42
override 1.3.6.1.2.1.43.12.1.1.2.1.1 integer 1
override 1.3.6.1.2.1.43.12.1.1.3.1.1 integer 3
override 1.3.6.1.2.1.43.12.1.1.4.1.1 octet_str "black"
override 1.3.6.1.2.1.43.12.1.1.5.1.1 integer 256
override 1.3.6.1.2.1.43.13.4.1.2.1.1 integer 4
override 1.3.6.1.2.1.43.13.4.1.3.1.1 integer 4
override 1.3.6.1.2.1.43.13.4.1.4.1.1 integer 297000
override 1.3.6.1.2.1.43.13.4.1.5.1.1 integer 215900
override 1.3.6.1.2.1.43.13.4.1.6.1.1 integer 297000
override 1.3.6.1.2.1.43.13.4.1.7.1.1 integer 215900
override 1.3.6.1.2.1.25.1.1.0 uinteger 360000'
# hrSystemUptime.0 is only there as collectd's 10th numeric OID in -o numeric.
# The prtMarkerColorantTable and prtMediaPathTable rows follow the supplies
# table as on a real printer: a GETBULK that overshoots the end of the supplies
# table lands on them instead of on snmpd's own (costly) IPv6/UCD tables.

# fleet_start MAXN NPROCS COMMS_PER_PORT [rw]: starts the fleet for MAXN
# devices; sets NPORTS, NPROCS, COMMS, PER, PORTS and SNMPD_PIDS (also added
# to PIDS), and checks every port answers its last community. With "rw",
# prtMarkerLifeCount is writable by community gfpages (pollers.sh's printing).
fleet_start() {
	local maxn=$1 cpp=$3 rw=${4:-} j q eps
	NPROCS=$2
	NPORTS=$(( (maxn + cpp - 1) / cpp ))
	[ "$NPROCS" -gt "$NPORTS" ] && NPROCS=$NPORTS
	NPORTS=$(( (NPORTS + NPROCS - 1) / NPROCS * NPROCS ))	# same number per process
	COMMS=$(( (maxn + NPORTS - 1) / NPORTS ))
	mkdir -p "$TMP/fleet/persist"
	export SNMP_PERSISTENT_DIR=$TMP/fleet/persist	# snmpget/snmpd state stays in TMP
	export MIBS=
	{
		echo "dontLogTCPWrappersConnects yes"
		if [ "$rw" = rw ]; then
			echo "$PRINTER_OVERRIDES" |
				sed 's/^override \(1.3.6.1.2.1.43.10.2.1.4.1.1 \)/override -rw \1/'
			echo "rwcommunity gfpages 127.0.0.1"
		else
			echo "$PRINTER_OVERRIDES"
		fi
		for ((q = 0; q < COMMS; q++)); do echo "rocommunity c$q 127.0.0.1"; done
	} > "$TMP/fleet/snmpd.conf"
	PORTS=($("$PY" -c 'import socket, sys
ss = []
for i in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    ss.append(s)
print(" ".join(str(s.getsockname()[1]) for s in ss))' "$NPORTS")) || die "no free ports"
	[ "${#PORTS[@]}" = "$NPORTS" ] || die "could not find $NPORTS free ports"
	SNMPD_PIDS=()
	PER=$((NPORTS / NPROCS))
	for ((j = 0; j < NPROCS; j++)); do
		eps=
		for ((q = j * PER; q < (j + 1) * PER; q++)); do eps+=${eps:+,}udp:127.0.0.1:${PORTS[q]}; done
		"$SNMPD" -f -C -c "$TMP/fleet/snmpd.conf" -Lf "$TMP/fleet/snmpd$j.log" -I -smux \
			"$eps" </dev/null >/dev/null 2>&1 &
		PIDS+=($!); SNMPD_PIDS+=($!)
	done
	say "fleet: $NPROCS snmpd, $NPORTS UDP ports on 127.0.0.1 (${PORTS[0]} ...), $COMMS communities each ($((NPORTS * COMMS)) devices max)"
	# every port must answer its highest community as the printer (4 checks at a time)
	printf '%s\n' "${PORTS[@]}" | xargs -P 4 -I{} sh -c '
		for t in $(seq 40); do
			out=$(snmpget -On -v2c -c "c'$((COMMS - 1))'" -t 0.5 -r 0 127.0.0.1:{} \
				1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.43.10.2.1.4.1.1 2>&1)
			case $out in *"\"BENCH PRINTER\""*121104*) exit 0 ;; esac
			sleep 0.25
		done
		echo "snmpd on port {} does not answer: $out" >&2; exit 1' ||
		{ cat "$TMP"/fleet/snmpd*.log >&2; die "the fleet does not answer"; }
	say "fleet answers (checked c$((COMMS - 1)) on every port)"
}

snmpd_ticks() { sum_ticks "${SNMPD_PIDS[@]}"; }
