package dev.vaultreplicator.testkit.vault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vaultreplicator.testkit.vault.core.Json;

/**
 * {@code --data-dir}: a snapshot of the whole state ({@code vault-state.json}, see {@link StateFile})
 * and a journal of every change made since ({@code vault-journal-<generation>.jsonl}), one line per
 * change holding the changed entry as it now is. A change is appended before its answer is sent, so
 * a restart, even after SIGKILL, finds every acknowledged write: the kernel keeps what was written
 * when the process dies (it is not flushed to disk, so a power cut may lose the last changes).
 * Start replays the journal of the snapshot's generation; once the journal outgrows the snapshot,
 * a new snapshot starts the next generation, so a write costs one entry and replay stays short.
 */
final class DataDirectory {

    static final long MIN_JOURNAL_BYTES = 8L << 20;

    private final Path directory;
    private final long minJournalBytes;
    private final StateFile snapshot;
    private long generation;
    private FileChannel journal;
    private long journalBytes;
    private long snapshotBytes;

    /** @param minJournalBytes the journal is folded into a new snapshot past this size, or twice the snapshot's */
    DataDirectory(Path directory, long minJournalBytes) {
        this.directory = directory;
        this.minJournalBytes = minJournalBytes;
        this.snapshot = new StateFile(directory);
    }

    boolean exists() {
        return snapshot.exists();
    }

    /** Loads the snapshot and replays its journal; a torn last line (SIGKILL mid-write) is dropped. */
    void load(EmulatedVault vault) {
        generation = snapshot.load(vault);
        Path file = journalFile(generation);
        if (!Files.exists(file)) {
            return;
        }
        try (BufferedReader lines = Files.newBufferedReader(file)) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode record;
                try {
                    record = Json.MAPPER.readTree(line);
                } catch (IOException torn) {
                    break;
                }
                vault.replay(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replay " + file, e);
        }
    }

    /** Appends one change; when the journal has grown past the snapshot, starts a new generation. */
    synchronized void record(EmulatedVault vault, java.util.function.Supplier<ObjectNode> changed, String unsealKey) {
        // Read inside the lock: the last line for an entry is then never older than the entry's last change.
        ObjectNode change = changed.get();
        if (change == null) {
            compact(vault, unsealKey);
            return;
        }
        byte[] line = Json.line(change);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                journal.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the emulator journal in " + directory, e);
        }
        journalBytes += line.length;
        if (journalBytes > Math.max(minJournalBytes, 2 * snapshotBytes)) {
            compact(vault, unsealKey);
        }
    }

    /** A new snapshot of everything, then an empty journal of the next generation; the old one goes. */
    synchronized void compact(EmulatedVault vault, String unsealKey) {
        long next = generation + 1;
        try {
            Files.createDirectories(directory);
            FileChannel fresh = FileChannel.open(journalFile(next), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            snapshotBytes = snapshot.save(vault, unsealKey, next);
            if (journal != null) {
                journal.close();
            }
            Files.deleteIfExists(journalFile(generation));
            journal = fresh;
            journalBytes = 0;
            generation = next;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact the emulator state in " + directory, e);
        }
    }

    synchronized void close() {
        try {
            if (journal != null) {
                journal.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path journalFile(long number) {
        return directory.resolve("vault-journal-" + number + ".jsonl");
    }
}
