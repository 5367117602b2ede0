#!/bin/sh
# Installs the IoTSec gateway daemon on a Raspberry Pi (or any systemd Linux):
#   the service user, the published daemon in /opt/iotsec-gateway, the systemd unit and a
#   sample /etc/iotsec/gateway.yaml (never overwriting an operator's file).
# Idempotent: run it again to upgrade the binaries; the configuration and the state in
# /var/lib/iotsec are kept.
#
# usage: sudo gateway/packaging/install.sh PUBLISH_DIR
#   PUBLISH_DIR: output of
#   dotnet publish gateway/IoTSec.Gateway -c Release -r linux-arm64 --self-contained -o PUBLISH_DIR
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=/opt/iotsec-gateway
unit=/etc/systemd/system/iotsec-gateway.service
config_dir=/etc/iotsec

die() { echo "install.sh: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (it creates a system user and writes /opt, /etc)"
[ $# -eq 1 ] || die "usage: install.sh PUBLISH_DIR (the output of dotnet publish -r linux-arm64 --self-contained)"
publish=$1
[ -x "$publish/iotsec-gateway" ] || die "$publish/iotsec-gateway is missing or not executable: not a self-contained publish output"

# The service user: no login, no home; member of tss for /dev/tpmrm0.
getent group iotsec >/dev/null || groupadd --system iotsec
getent passwd iotsec >/dev/null || useradd --system --gid iotsec --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin iotsec
if getent group tss >/dev/null; then
  usermod --append --groups tss iotsec
else
  echo "install.sh: warning: no 'tss' group (is tpm2-tools / the TPM driver installed?): the daemon cannot reach /dev/tpmrm0" >&2
fi

# The tamper switch and LED: group gpio owns /dev/gpiochip* on Raspberry Pi OS; elsewhere make
# the group and the udev rule that gives it the chips (the unit names the group, and systemd
# refuses to start a unit whose supplementary group does not exist).
if ! getent group gpio >/dev/null; then
  groupadd --system gpio
  echo 'SUBSYSTEM=="gpio", KERNEL=="gpiochip*", GROUP="gpio", MODE="0660"' > /etc/udev/rules.d/60-iotsec-gpio.rules
  command -v udevadm >/dev/null && udevadm trigger --subsystem-match=gpio || true
fi
usermod --append --groups gpio iotsec

# The binaries: replaced as a whole, so a removed file does not linger from an older version.
staging="$prefix.new"
rm -rf "$staging"
mkdir -p "$staging"
cp -a "$publish/." "$staging/"
if [ -d "$here/../../docs" ]; then
  mkdir -p "$staging/docs" && cp "$here/../../docs/operations.md" "$staging/docs/"
fi
chown -R root:root "$staging"
chmod -R u=rwX,go=rX "$staging"
rm -rf "$prefix.old"
[ ! -d "$prefix" ] || mv "$prefix" "$prefix.old"
mv "$staging" "$prefix"
rm -rf "$prefix.old"

# Configuration: a sample on first install only; an operator's file is never overwritten.
install -d -m 0755 -o root -g root "$config_dir"
if [ ! -e "$config_dir/gateway.yaml" ]; then
  install -m 0644 -o root -g root "$here/gateway.yaml" "$config_dir/gateway.yaml"
  echo "installed a sample $config_dir/gateway.yaml: review it before the first start"
fi
install -m 0644 -o root -g root "$here/gateway.yaml" "$config_dir/gateway.yaml.sample"

install -m 0644 -o root -g root "$here/iotsec-gateway.service" "$unit"
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  echo "installed; start with: systemctl enable --now iotsec-gateway"
else
  echo "installed (systemd is not running here: no daemon-reload)"
fi
