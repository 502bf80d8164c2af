package dev.vaultreplicator.testkit.vault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.vaultreplicator.testkit.vault.core.Json;

/**
 * {@code --data-dir}: a snapshot of the whole state ({@code vault-state.json}, see {@link StateFile})
 * and a journal of every change made since ({@code vault-journal-<generation>.jsonl}), one line per
 * change holding the changed entry as it now is. A change is appended before its answer is sent, so
 * a restart, even after SIGKILL, finds every acknowledged write: the kernel keeps what was written
 * when the process dies (it is not flushed to disk, so a power cut may lose the last changes).
 * Start replays the journals from the snapshot's generation on; once the journal outgrows the
 * snapshot, the next generation's journal takes the changes while a new snapshot is written in the
 * background, so a write costs one entry, replay stays short, and no request waits for a snapshot.
 */
final class DataDirectory {

    static final long MIN_JOURNAL_BYTES = 8L << 20;
    private static final Pattern JOURNAL = Pattern.compile("vault-journal-(\\d+)\\.jsonl");

    private final Path directory;
    private final long minJournalBytes;
    private final StateFile snapshot;
    private long generation;
    private FileChannel journal;
    private long journalBytes;
    private long snapshotBytes;
    private Future<?> compaction;
    private final ExecutorService compactor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "emulator-compaction");
        thread.setDaemon(true);
        return thread;
    });

    /** @param minJournalBytes the journal is folded into a new snapshot past this size, or twice the snapshot's */
    DataDirectory(Path directory, long minJournalBytes) {
        this.directory = directory;
        this.minJournalBytes = minJournalBytes;
        this.snapshot = new StateFile(directory);
    }

    boolean exists() {
        return snapshot.exists();
    }

    /**
     * Loads the snapshot and replays, in order, every journal from the snapshot's generation on (a
     * crash during a compaction leaves two). A torn last line (SIGKILL mid-write) is dropped.
     */
    void load(EmulatedVault vault) {
        long from = snapshot.load(vault);
        generation = from;
        for (long number : journalNumbers()) {
            if (number < from) {
                continue;
            }
            generation = number;
            try (BufferedReader lines = Files.newBufferedReader(journalFile(number))) {
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
                throw new UncheckedIOException("cannot replay " + journalFile(number), e);
            }
        }
    }

    /** Appends one change; when the journal has grown past the snapshot, starts a new generation. */
    synchronized void record(EmulatedVault vault, java.util.function.Supplier<ObjectNode> changed, String unsealKey) {
        // Read inside the lock: the last line for an entry is then never older than the entry's last change.
        ObjectNode change = changed.get();
        if (change == null) {
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
        if (compaction == null && journalBytes > Math.max(minJournalBytes, 2 * snapshotBytes)) {
            startCompaction(vault, unsealKey);
        }
    }

    /** Everything into a new snapshot and an empty journal, before the first request is taken. */
    void compact(EmulatedVault vault, String unsealKey) {
        Future<?> done;
        synchronized (this) {
            done = startCompaction(vault, unsealKey);
        }
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compacting the emulator state", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new UncheckedIOException("cannot compact the emulator state in " + directory,
                    new IOException(e.getCause()));
        }
    }

    /**
     * Under the lock, later changes go to the next generation's journal; the snapshot of that
     * generation is written off the request path, and only then are older journals removed. A
     * snapshot that shows a change also in the new journal is harmless: replaying an entry's state
     * again leaves it as it is.
     */
    private Future<?> startCompaction(EmulatedVault vault, String unsealKey) {
        if (compaction != null) {
            return compaction;
        }
        long next = generation + 1;
        try {
            Files.createDirectories(directory);
            FileChannel fresh = FileChannel.open(journalFile(next), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            if (journal != null) {
                journal.close();
            }
            journal = fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a new journal in " + directory, e);
        }
        journalBytes = 0;
        generation = next;
        compaction = compactor.submit(() -> {
            try {
                long size = snapshot.save(vault, unsealKey, next);
                for (long number : journalNumbers()) {
                    if (number < next) {
                        Files.deleteIfExists(journalFile(number));
                    }
                }
                synchronized (this) {
                    snapshotBytes = size;
                }
                return null;
            } finally {
                synchronized (this) {
                    compaction = null;
                }
            }
        });
        return compaction;
    }

    void close() {
        compactor.shutdown();
        try {
            compactor.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            try {
                if (journal != null) {
                    journal.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private List<Long> journalNumbers() {
        try (var files = Files.list(directory)) {
            return files.map(file -> JOURNAL.matcher(file.getFileName().toString())).filter(Matcher::matches)
                    .map(match -> Long.parseLong(match.group(1))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private Path journalFile(long number) {
        return directory.resolve("vault-journal-" + number + ".jsonl");
    }
}
