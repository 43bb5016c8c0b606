package dev.hoist.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Names for temporary files and directories that no other hoist process or thread on this host
 * picks: process id, a clock reading and a counter. Not {@code UUID.randomUUID()}, whose
 * SecureRandom seeding was a visible part of a command's start (a profile's 7% of a pull's main
 * thread); creators still create with CREATE_NEW (or fail), so a clash can never overwrite.
 */
public final class UniqueNames {
  private static final long PID = ProcessHandle.current().pid();
  private static final AtomicLong COUNTER = new AtomicLong();

  private UniqueNames() {}

  /**
   * Whether the process that made {@code name} with {@link #next()} still runs. False for a name
   * not made by {@link #next()}. A recycled process id makes a dead owner look alive, which only
   * keeps its leftovers a while longer.
   */
  public static boolean ownerAlive(String name) {
    int dash = name.indexOf('-');
    try {
      long pid = Long.parseLong(dash < 0 ? name : name.substring(0, dash));
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A fresh name such as {@code 4211-5125125521373-7}. */
  public static String next() {
    return PID + "-" + System.nanoTime() + "-" + COUNTER.incrementAndGet();
  }
}
