package dev.hoist.runtime;

/** The sandbox contract on the OCI backend with runc. */
class OciRuntimeSandboxTest extends SandboxContract {
  @Override
  Isolation isolation() {
    return Isolation.OCI;
  }
}
