# Shared by the scripts in servers/: where their state lives, how to run a command as root or
# as postgres, and a readiness poll with a deadline. Sourced, not run.
# shellcheck shell=bash

# Data, configuration written by these scripts, pid files and logs of every server started
# here. Outside the repository so a clean clone stays clean; /var/tmp survives a reboot.
STATE=${DATABASES_SERVERS_STATE:-/var/tmp/databases-servers}
PG_VERSION=15

me=$(basename "$0")

say() { echo "[$me] $*"; }
die() { echo "[$me] error: $*" >&2; exit 1; }

# Run as root: directly when we are root, else through sudo.
as_root() {
	if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# Run as the postgres user, who owns the clusters, their data and pgbouncer.
as_postgres() {
	if [[ $(id -un) == postgres ]]; then "$@"
	elif [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"
	else sudo -u postgres "$@"; fi
}

# alive PIDFILE: the process named in PIDFILE runs. A zombie does not count: PID 1 on some
# machines (containers) is slow to reap the daemons that were killed.
alive() {
	local pid state
	[[ -f $1 ]] && pid=$(head -n 1 "$1") && [[ $pid =~ ^[0-9]+$ ]] || return 1
	state=$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$pid/stat" 2>/dev/null) || return 1
	[[ -n $state && $state != Z && $state != X ]]
}

# reaped PIDFILE: no process of that pid is left, not even a zombie.
reaped() {
	local pid
	pid=$(head -n 1 "$1" 2>/dev/null) && [[ $pid =~ ^[0-9]+$ ]] || return 0
	[[ ! -e /proc/$pid ]] || alive "$1"
}

# await_reaped PIDFILE: when the process of PIDFILE died but is still a zombie, wait (10 s at
# most) until it is reaped; a server checking its old pid file would take it as running.
await_reaped() {
	poll 10 "the dead process of $1 to be reaped" reaped "$1" || true
}

# poll SECONDS DESCRIPTION COMMAND...: run COMMAND every 0.2 s until it succeeds; fail when
# SECONDS have passed. A readiness poll, not a fixed wait: it returns as soon as COMMAND does.
poll() {
	local seconds=$1 what=$2; shift 2
	local deadline=$((SECONDS + seconds))
	until "$@" >/dev/null 2>&1; do
		if ((SECONDS >= deadline)); then
			echo "[$me] $what: not within ${seconds} s" >&2
			return 1
		fi
		sleep 0.2
	done
}

# Install a Debian package when its command is missing (apt-get update only if needed).
need_package() {
	local command=$1 package=$2
	command -v "$command" >/dev/null 2>&1 && return 0
	say "installing $package"
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get install -y -qq "$package" >/dev/null 2>&1 ||
		{ as_root apt-get update -qq && as_root apt-get install -y -qq "$package" >/dev/null; } ||
		die "could not install the Debian package $package"
}

# --- PostgreSQL -----------------------------------------------------------------------------

pg_ready() { pg_isready -h 127.0.0.1 -p "$1" -q; }

# pg_val PORT DATABASE SQL: the first column of the first row, as text.
pg_val() { psql -X -h 127.0.0.1 -p "$1" -U postgres -d "$2" -tAqc "$3"; }

cluster_exists() { [[ -f /etc/postgresql/$PG_VERSION/$1/postgresql.conf ]]; }

cluster_running() { as_root pg_ctlcluster "$PG_VERSION" "$1" status >/dev/null 2>&1; }

# pg_start NAME PORT: start the cluster when it is down, then wait until it answers.
pg_start() {
	local name=$1 port=$2
	pg_ready "$port" && return 0
	# A postmaster killed with -9 lingers as a zombie for a moment; pg_ctl would call the
	# cluster running, and a new postmaster would refuse to start over its pid file.
	await_reaped "$STATE/pg/$name/postmaster.pid"
	if ! cluster_running "$name"; then
		say "starting cluster $name on $port"
		# Tried again for a while, in case the old postmaster's children are still exiting.
		poll 15 "starting cluster $name" as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$name" start ||
			die "cluster $name did not start; its log: $STATE/pg/$name.log"
	fi
	poll 30 "cluster $name on port $port" pg_ready "$port" ||
		die "cluster $name does not answer on $port; its log: $STATE/pg/$name.log"
}

pg_stop() {
	cluster_running "$1" || return 0
	as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$1" stop -m fast
}

# pg_create NAME PORT: a new cluster with its data and log under $STATE/pg, trusting local
# and 127.0.0.1 connections (replication included), never started at boot by the system.
pg_create() {
	local name=$1 port=$2
	pg_drop "$name"
	as_root mkdir -p "$STATE/pg"
	as_root chown postgres: "$STATE/pg"
	as_root pg_createcluster "$PG_VERSION" "$name" -p "$port" -d "$STATE/pg/$name" \
		-l "$STATE/pg/$name.log" --start-conf=manual -- --auth=trust --no-sync >/dev/null ||
		die "pg_createcluster $name failed"
	# Small, because these clusters only serve tests on a shared machine.
	as_root tee "/etc/postgresql/$PG_VERSION/$name/conf.d/databases-servers.conf" >/dev/null <<-EOF
		# Written by servers/ of the databases repository.
		listen_addresses = '127.0.0.1'
		shared_buffers = 32MB
		max_connections = 100
		fsync = off
		synchronous_commit = off
	EOF
}

# pg_drop NAME: stop and remove the cluster, its configuration and its data.
pg_drop() {
	local name=$1
	if cluster_exists "$name"; then
		as_root pg_dropcluster --stop "$PG_VERSION" "$name" >/dev/null 2>&1 || true
		as_root rm -rf "/etc/postgresql/$PG_VERSION/$name"
	fi
	as_root rm -rf "${STATE:?}/pg/$name"
}

# pg_make_standby NAME PORT PRIMARY_PORT: replace the data of cluster NAME (which must exist and
# be stopped) with a base backup of the primary, made a streaming standby by -R.
pg_make_standby() {
	local name=$1 port=$2 primary=$3
	as_root rm -rf "${STATE:?}/pg/$name"
	as_postgres pg_basebackup -h 127.0.0.1 -p "$primary" -U postgres -D "$STATE/pg/$name" \
		-R -X stream -c fast --no-sync ||
		die "pg_basebackup of port $primary for $name failed"
	pg_start "$name" "$port"
}

# pg_streaming PORT PRIMARY_PORT: the server on PORT is a standby receiving WAL from PRIMARY_PORT.
pg_streaming() {
	[[ $(pg_val "$1" postgres "SELECT status || ':' || sender_port FROM pg_stat_wal_receiver") == "streaming:$2" ]]
}

# --- MariaDB --------------------------------------------------------------------------------

maria_ready() { mariadb-admin --no-defaults -h 127.0.0.1 -P "$1" -u root ping >/dev/null 2>&1; }

# maria_val PORT SQL: the first column of the first row.
maria_val() { mariadb --no-defaults -h 127.0.0.1 -P "$1" -u root -N -B -e "$2"; }
