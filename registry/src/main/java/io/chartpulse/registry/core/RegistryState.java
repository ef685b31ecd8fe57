package io.chartpulse.registry.core;

import io.chartpulse.schemas.evolution.CompatibilityMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's whole state, in memory: subjects and their versions, schemas by id, compatibility configs and the
 * current leader. Only the store's reader applies changes (in log order), so every instance reading the same log
 * holds the same state. Thread-safe: readers on HTTP threads see a consistent view.
 */
public final class RegistryState {

    private final Map<String, NavigableMap<Integer, SchemaVersion>> subjects = new HashMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, CompatibilityMode> subjectConfigs = new HashMap<>();
    private CompatibilityMode globalConfig;
    private final CompatibilityMode defaultConfig;
    private int maxId;
    private String leaderUrl;

    public RegistryState(CompatibilityMode defaultConfig) {
        this.defaultConfig = defaultConfig;
        this.globalConfig = defaultConfig;
    }

    // ---- applied by the store reader -------------------------------------------------------------------------

    public synchronized void putVersion(SchemaVersion version) {
        subjects.computeIfAbsent(version.subject(), s -> new TreeMap<>()).put(version.version(), version);
        schemasById.put(version.id(), version.schema());
        idsBySchema.putIfAbsent(version.schema(), version.id());
        maxId = Math.max(maxId, version.id());
    }

    /** A permanent delete: the version is gone; its id stays resolvable, since ids are never reused. */
    public synchronized void removeVersion(String subject, int version) {
        NavigableMap<Integer, SchemaVersion> versions = subjects.get(subject);
        if (versions != null) {
            versions.remove(version);
            if (versions.isEmpty()) {
                subjects.remove(subject);
            }
        }
    }

    /** Sets ({@code mode} non-null) or clears a subject's config; {@code subject} null means the global one. */
    public synchronized void putConfig(String subject, CompatibilityMode mode) {
        if (subject == null) {
            globalConfig = mode == null ? defaultConfig : mode;
        } else if (mode == null) {
            subjectConfigs.remove(subject);
        } else {
            subjectConfigs.put(subject, mode);
        }
    }

    public synchronized void putLeader(String url) {
        leaderUrl = url;
    }

    // ---- queries -------------------------------------------------------------------------------------------

    public synchronized List<String> subjects(boolean includeDeleted) {
        List<String> names = new ArrayList<>();
        subjects.forEach((name, versions) -> {
            if (includeDeleted || versions.values().stream().anyMatch(v -> !v.deleted())) {
                names.add(name);
            }
        });
        names.sort(null);
        return names;
    }

    /** Versions of a subject, oldest first; empty when the subject does not exist. */
    public synchronized List<SchemaVersion> versions(String subject, boolean includeDeleted) {
        NavigableMap<Integer, SchemaVersion> versions = subjects.get(subject);
        if (versions == null) {
            return List.of();
        }
        return versions.values().stream()
                .filter(v -> includeDeleted || !v.deleted())
                .toList();
    }

    /** Highest version number ever used by the subject (deleted ones included), 0 if none. */
    public synchronized int maxVersion(String subject) {
        NavigableMap<Integer, SchemaVersion> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
    }

    public synchronized Optional<String> schemaById(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    public synchronized Optional<Integer> idOf(String canonicalSchema) {
        return Optional.ofNullable(idsBySchema.get(canonicalSchema));
    }

    public synchronized int maxId() {
        return maxId;
    }

    /** Every (subject, version) that uses schema {@code id}, deleted ones excluded. */
    public synchronized List<SchemaVersion> usesOf(int id) {
        List<SchemaVersion> uses = new ArrayList<>();
        subjects.values()
                .forEach(versions -> versions.values().stream()
                        .filter(v -> v.id() == id && !v.deleted())
                        .forEach(uses::add));
        uses.sort((a, b) -> a.subject().equals(b.subject())
                ? Integer.compare(a.version(), b.version())
                : a.subject().compareTo(b.subject()));
        return uses;
    }

    public synchronized CompatibilityMode globalConfig() {
        return globalConfig;
    }

    public synchronized Optional<CompatibilityMode> subjectConfig(String subject) {
        return Optional.ofNullable(subjectConfigs.get(subject));
    }

    /** The mode a subject's registrations are checked under: its own, else the global one. */
    public synchronized CompatibilityMode effectiveConfig(String subject) {
        return subjectConfigs.getOrDefault(subject, globalConfig);
    }

    public synchronized Optional<String> leaderUrl() {
        return Optional.ofNullable(leaderUrl);
    }

    public synchronized int schemaCount() {
        return schemasById.size();
    }
}
