package dev.vaultreplicator.testkit.vault.core;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The secrets engines by mount path (ending in {@code /}); a request routes to the longest matching one. */
public final class MountTable {

    /** Mounts a dev server has that this emulator lists but does not serve. */
    public static final List<String> BUILT_IN = List.of("cubbyhole/", "identity/", "sys/");

    private final ConcurrentHashMap<String, Mount> mounts = new ConcurrentHashMap<>();
    private final int inUseStatus;

    /** @param inUseStatus what a mount on a taken path answers (Vault 409, OpenBao 400) */
    public MountTable(int inUseStatus) {
        this.inUseStatus = inUseStatus;
    }

    public Optional<Mount> route(String path) {
        return mounts.values().stream()
                .filter(m -> path.startsWith(m.path()) || (path + "/").equals(m.path()))
                .max(Comparator.comparingInt(m -> m.path().length()));
    }

    public Optional<Mount> get(String path) {
        return Optional.ofNullable(mounts.get(path));
    }

    /** @throws VaultError when the path is taken or overlaps another mount */
    public void add(Mount mount) {
        synchronized (mounts) {
            for (String taken : allPaths()) {
                if (taken.startsWith(mount.path()) || mount.path().startsWith(taken)) {
                    throw new VaultError(inUseStatus, "path is already in use at " + taken);
                }
            }
            mounts.put(mount.path(), mount);
        }
    }

    public void remove(String path) {
        mounts.remove(path);
    }

    public List<Mount> all() {
        return mounts.values().stream().sorted(Comparator.comparing(Mount::path)).toList();
    }

    private List<String> allPaths() {
        List<String> paths = new java.util.ArrayList<>(mounts.keySet());
        paths.addAll(BUILT_IN);
        paths.add("auth/");
        return paths;
    }
}
