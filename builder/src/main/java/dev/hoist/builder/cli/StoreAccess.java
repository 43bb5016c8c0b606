package dev.hoist.builder.cli;

import dev.hoist.store.Store;
import java.io.IOException;

/** Opens the store the global {@code --root} / {@code HOIST_ROOT} names. */
final class StoreAccess {
  private StoreAccess() {}

  static Store open(Hoist hoist) throws IOException {
    return Store.open(hoist.storeRoot());
  }
}
