package dev.hoist.runtime;

/** Hostile steps against the OCI backend with runc. */
class OciHostileStepsTest extends HostileStepsContract {
  @Override
  Isolation isolation() {
    return Isolation.OCI;
  }
}
