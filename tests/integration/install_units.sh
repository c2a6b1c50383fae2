#!/bin/sh
# make install puts the systemd units, with this build's paths, where configure
# found systemd's unit directory, plus the sysusers and tmpfiles files; make
# uninstall takes them away again.
. "$(dirname "$0")/lib.sh"

mk() { MAKEFLAGS= MAKELEVEL= make -s -C "$top_builddir" "$@"; }
var() { mk -f Makefile -f - print-var V="$1" 2>/dev/null <<'MK'
print-var:
	@echo '$($(V))'
MK
}
unitdir=$(var systemdsystemunitdir)
[ "$unitdir" = no ] && { echo "# configured --without-systemdsystemunitdir: no units to install"; exit 77; }
sbindir=$(var sbindir)
confdir=$(var greenfleetconfdir)
check_match "configure found a unit directory" "^/" "$unitdir"

mk install DESTDIR="$T/root" >"$T/install.log" 2>&1
check "make install DESTDIR=... succeeds" 0 $?
for u in greenfleetd.service greenfleetd-notify.service; do
	f=$T/root$unitdir/$u
	check "$u installed" yes "$([ -f "$f" ] && echo yes || echo no)"
	exe=$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$f" 2>/dev/null)
	check "$u: ExecStart runs the installed daemon" "$sbindir/greenfleetd" "$exe"
	check "$u: which is there" yes "$([ -n "$exe" ] && [ -x "$T/root$exe" ] && echo yes || echo no)"
	check_match "$u: with the installed configuration" "^ExecStartPre=$sbindir/greenfleetd -t -c $confdir/greenfleet.conf\$" "$(grep '^ExecStartPre=' "$f")"
	check "$u: no placeholder left" "" "$(grep -E '@(sbindir|confdir)@' "$f")"
done
bindir=$(var bindir)
f=$T/root$unitdir/greenfleet-web.service
check "greenfleet-web.service installed" yes "$([ -f "$f" ] && echo yes || echo no)"
exe=$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$f" 2>/dev/null)
check "greenfleet-web.service: ExecStart runs the installed web process" "$bindir/greenfleet-web" "$exe"
check "greenfleet-web.service: which is there" yes "$([ -n "$exe" ] && [ -x "$T/root$exe" ] && echo yes || echo no)"
check "greenfleet-web.service: checks the installed configuration, then serves it" \
	"ExecStartPre=$bindir/greenfleet-web -t -c $confdir/greenfleet.conf
ExecStart=$bindir/greenfleet-web -f -c $confdir/greenfleet.conf" "$(grep -E '^ExecStart(Pre)?=' "$f")"
check "greenfleet-web.service: hardened as greenfleetd's" \
	"Type=notify|User=greenfleet|ProtectSystem=strict|NoNewPrivileges=yes|CapabilityBoundingSet=|MemoryDenyWriteExecute=yes|SystemCallFilter=@system-service" \
	"$(grep -E '^(Type|User|ProtectSystem|NoNewPrivileges|CapabilityBoundingSet|MemoryDenyWriteExecute|SystemCallFilter)=' "$f" | paste -sd'|')"
check "greenfleet-web.service: no placeholder left" "" "$(grep -E '@(bindir|confdir)@' "$f")"
if command -v systemd-analyze >/dev/null 2>&1; then
	check "systemd-analyze verify finds nothing wrong" "" \
		"$(systemd-analyze verify "$f" 2>&1 | grep -v -e 'is not executable' -e "Command 'man ")"
fi
check "the sample configuration is in that directory" yes \
	"$([ -f "$T/root$confdir/greenfleet.conf.example" ] && echo yes || echo no)"
check_match "sysusers file installed" "^u greenfleet " "$(cat "$T/root$(var sysusersdir)/greenfleet.conf" 2>/dev/null)"
check_match "tmpfiles file installed" "^d /var/lib/greenfleet 0750 greenfleet greenfleet" "$(cat "$T/root$(var tmpfilesdir)/greenfleet.conf" 2>/dev/null)"

mk uninstall DESTDIR="$T/root" >>"$T/install.log" 2>&1
check "make uninstall succeeds" 0 $?
check "and leaves no file behind" "" "$(find "$T/root" -type f)"
finish
