package dev.hoist.runtime;

import java.util.List;

/** What Docker (moby's default OCI spec) gives every container; both backends apply it. */
final class DockerDefaults {
  private DockerDefaults() {}

  /** Docker's default capability set; CapEff 00000000a80425fb for root. */
  static final List<String> CAPABILITIES =
      List.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_FSETID",
          "CAP_FOWNER",
          "CAP_MKNOD",
          "CAP_NET_RAW",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETFCAP",
          "CAP_SETPCAP",
          "CAP_NET_BIND_SERVICE",
          "CAP_SYS_CHROOT",
          "CAP_KILL",
          "CAP_AUDIT_WRITE");

  /** Paths hidden from the step: files under /dev/null, directories under an empty tmpfs. */
  static final List<String> MASKED_PATHS =
      List.of(
          "/proc/asound",
          "/proc/acpi",
          "/proc/kcore",
          "/proc/keys",
          "/proc/latency_stats",
          "/proc/timer_list",
          "/proc/timer_stats",
          "/proc/sched_debug",
          "/proc/scsi",
          "/sys/firmware",
          "/sys/devices/virtual/powercap");

  /** Paths the step may read but not write. */
  static final List<String> READONLY_PATHS =
      List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  /** The device nodes bound from the host into the step's /dev. */
  static final List<String> DEVICES = List.of("null", "zero", "full", "random", "urandom", "tty");
}
