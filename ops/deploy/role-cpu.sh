#!/usr/bin/env sh
# Prints the core a role is pinned to (engine.cpu.<role> in the config file), or the housekeeping cores when
# the role has none, so that taskset keeps the role's JVM on its own core plus the housekeeping ones.
#   usage: role-cpu.sh CONFIG ROLE
config="$1"; role="$2"
cpu=$(sed -n "s/^engine\.cpu\.${role}[[:space:]]*=[[:space:]]*\([0-9][0-9]*\).*/\1/p" "$config" | tail -1)
if [ -n "$cpu" ] && [ "$cpu" -ge 0 ] 2>/dev/null; then echo "$cpu"; else echo "${MM_HOUSEKEEPING_CPUS:-0}"; fi
