package io.chartpulse.registry.core;

import io.chartpulse.schemas.evolution.CompatibilityMode;
import io.chartpulse.schemas.evolution.Incompatibility;
import io.chartpulse.schemas.evolution.SchemaCompatibilityChecker;
import io.chartpulse.schemas.evolution.VersionedSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The registry's operations, free of HTTP: reads are answered from the in-memory {@link RegistryState}; writes are
 * checked here, appended to the {@link StoreLog} and visible on return (the log applies them before answering).
 * Writes are serialised within the instance, and only the log's leader writes at all, so ids are assigned by one
 * writer that has read everything before it.
 */
public final class SchemaRegistry {

    /** Schema types this registry serves. */
    public static final List<String> SCHEMA_TYPES = List.of("AVRO");

    private final RegistryState state;
    private final StoreLog log;

    public SchemaRegistry(RegistryState state, StoreLog log) {
        this.state = state;
        this.log = log;
    }

    /** Result of a compatibility test; messages are filled in verbose mode. */
    public record CompatibilityResult(boolean compatible, List<String> messages) {}

    // ---- writes --------------------------------------------------------------------------------------------

    /**
     * Registers a schema under a subject and returns its global id. Idempotent: a schema the subject already has
     * (compared in canonical form) returns its existing id without writing.
     */
    public int register(String subject, String schemaText, String schemaType) {
        requireAvro(schemaType);
        Schema schema = AvroSchemas.parse(schemaText);
        String canonical = schema.toString();
        synchronized (this) {
            Optional<SchemaVersion> existing = state.versions(subject, false).stream()
                    .filter(v -> v.schema().equals(canonical))
                    .findFirst();
            if (existing.isPresent()) {
                return existing.get().id();
            }
            List<String> problems =
                    incompatibilities(subject, schema, state.versions(subject, false), state.effectiveConfig(subject));
            if (!problems.isEmpty()) {
                throw ErrorCode.INCOMPATIBLE_SCHEMA.exception(subject, problems);
            }
            int id = state.idOf(canonical).orElse(state.maxId() + 1);
            SchemaVersion version = new SchemaVersion(subject, state.maxVersion(subject) + 1, id, canonical, false);
            log.append(StoreRecords.schemaKey(subject, version.version()), StoreRecords.schemaValue(version));
            return id;
        }
    }

    /** Deletes every version of a subject: soft by default, permanently (after a soft delete) when asked. */
    public synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        List<SchemaVersion> all = state.versions(subject, true);
        if (all.isEmpty()) {
            throw ErrorCode.SUBJECT_NOT_FOUND.exception(subject);
        }
        boolean softDeleted = all.stream().allMatch(SchemaVersion::deleted);
        List<Integer> numbers = all.stream().map(SchemaVersion::version).toList();
        if (permanent) {
            if (!softDeleted) {
                throw ErrorCode.SUBJECT_NOT_SOFT_DELETED.exception(subject);
            }
            for (SchemaVersion v : all) {
                log.append(StoreRecords.schemaKey(subject, v.version()), null);
            }
            if (state.subjectConfig(subject).isPresent()) {
                log.append(StoreRecords.configKey(subject), null);
            }
            return numbers;
        }
        if (softDeleted) {
            throw ErrorCode.SUBJECT_SOFT_DELETED.exception(subject);
        }
        List<Integer> deleted = new ArrayList<>();
        for (SchemaVersion v : all) {
            if (!v.deleted()) {
                log.append(StoreRecords.schemaKey(subject, v.version()), StoreRecords.schemaValue(v.softDeleted()));
                deleted.add(v.version());
            }
        }
        return deleted;
    }

    /** Deletes one version: soft by default, permanently (after a soft delete) when asked. */
    public synchronized int deleteVersion(String subject, String versionText, boolean permanent) {
        SchemaVersion v = version(subject, versionText, true);
        if (permanent) {
            if (!v.deleted()) {
                throw ErrorCode.VERSION_NOT_SOFT_DELETED.exception(subject, v.version());
            }
            log.append(StoreRecords.schemaKey(subject, v.version()), null);
        } else {
            if (v.deleted()) {
                throw ErrorCode.VERSION_SOFT_DELETED.exception(subject, v.version());
            }
            log.append(StoreRecords.schemaKey(subject, v.version()), StoreRecords.schemaValue(v.softDeleted()));
        }
        return v.version();
    }

    /** Sets the global ({@code subject} null) or a subject's compatibility mode. */
    public synchronized CompatibilityMode setConfig(String subject, String level) {
        CompatibilityMode mode = parseMode(level);
        log.append(StoreRecords.configKey(subject), StoreRecords.configValue(mode));
        return mode;
    }

    /** Clears a subject's mode, or resets the global one to the default; returns the mode it had. */
    public synchronized CompatibilityMode deleteConfig(String subject) {
        CompatibilityMode previous;
        if (subject == null) {
            previous = state.globalConfig();
        } else {
            previous = state.subjectConfig(subject)
                    .orElseThrow(() -> ErrorCode.SUBJECT_CONFIG_NOT_FOUND.exception(subject));
        }
        log.append(StoreRecords.configKey(subject), null);
        return previous;
    }

    // ---- reads ---------------------------------------------------------------------------------------------

    /** The subject's version holding this schema (compared in canonical form). */
    public SchemaVersion lookup(String subject, String schemaText, String schemaType, boolean includeDeleted) {
        requireAvro(schemaType);
        String canonical = AvroSchemas.parse(schemaText).toString();
        List<SchemaVersion> versions = existingVersions(subject, includeDeleted);
        return versions.stream()
                .filter(v -> v.schema().equals(canonical))
                .reduce((a, b) -> b)
                .orElseThrow(ErrorCode.SCHEMA_NOT_FOUND::exception);
    }

    public List<String> subjects(boolean includeDeleted) {
        return state.subjects(includeDeleted);
    }

    public List<Integer> versions(String subject, boolean includeDeleted) {
        return existingVersions(subject, includeDeleted).stream()
                .map(SchemaVersion::version)
                .toList();
    }

    /** A version by number, or {@code latest} / {@code -1} for the newest. */
    public SchemaVersion version(String subject, String versionText, boolean includeDeleted) {
        int requested = parseVersion(versionText);
        List<SchemaVersion> versions = existingVersions(subject, includeDeleted);
        if (requested == -1) {
            return versions.stream()
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> ErrorCode.VERSION_NOT_FOUND.exception(versionText));
        }
        return versions.stream()
                .filter(v -> v.version() == requested)
                .findFirst()
                .orElseThrow(() -> ErrorCode.VERSION_NOT_FOUND.exception(requested));
    }

    public String schemaById(int id) {
        return state.schemaById(id).orElseThrow(() -> ErrorCode.SCHEMA_ID_NOT_FOUND.exception(id));
    }

    /** Subjects and versions using schema {@code id}. */
    public List<SchemaVersion> usesOf(int id) {
        schemaById(id);
        return state.usesOf(id);
    }

    public CompatibilityMode globalConfig() {
        return state.globalConfig();
    }

    /** A subject's own mode; with {@code defaultToGlobal} the global mode when it has none. */
    public CompatibilityMode subjectConfig(String subject, boolean defaultToGlobal) {
        return state.subjectConfig(subject)
                .or(() -> defaultToGlobal ? Optional.of(state.globalConfig()) : Optional.empty())
                .orElseThrow(() -> ErrorCode.SUBJECT_CONFIG_NOT_FOUND.exception(subject));
    }

    /**
     * Tests a schema against one version of a subject ({@code versionText} given) or against the versions the
     * subject's mode looks at ({@code versionText} null).
     */
    public CompatibilityResult testCompatibility(
            String subject, String versionText, String schemaText, String schemaType, boolean verbose) {
        requireAvro(schemaType);
        Schema schema = AvroSchemas.parse(schemaText);
        CompatibilityMode mode = state.effectiveConfig(subject);
        List<SchemaVersion> against;
        if (versionText == null) {
            against = existingVersions(subject, false);
        } else {
            SchemaVersion one = version(subject, versionText, false);
            // Against one named version, a transitive mode means the same as its non-transitive form.
            against = List.of(one);
        }
        List<String> problems = incompatibilities(subject, schema, against, mode);
        return new CompatibilityResult(problems.isEmpty(), verbose ? problems : List.of());
    }

    public boolean isLeader() {
        return log.isLeader();
    }

    public Optional<String> leaderUrl() {
        return log.leaderUrl();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private List<SchemaVersion> existingVersions(String subject, boolean includeDeleted) {
        List<SchemaVersion> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw ErrorCode.SUBJECT_NOT_FOUND.exception(subject);
        }
        return versions;
    }

    private static List<String> incompatibilities(
            String subject, Schema candidate, List<SchemaVersion> versions, CompatibilityMode mode) {
        List<VersionedSchema> earlier = versions.stream()
                .map(v -> new VersionedSchema("version " + v.version(), AvroSchemas.parse(v.schema())))
                .toList();
        return SchemaCompatibilityChecker.check(candidate, earlier, mode).stream()
                .map(Incompatibility::describe)
                .toList();
    }

    static int parseVersion(String text) {
        if ("latest".equalsIgnoreCase(text)) {
            return -1;
        }
        try {
            int version = Integer.parseInt(text);
            if (version == -1 || version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw ErrorCode.INVALID_VERSION.exception(text);
    }

    private static CompatibilityMode parseMode(String level) {
        try {
            return CompatibilityMode.parse(level);
        } catch (IllegalArgumentException e) {
            throw ErrorCode.INVALID_COMPATIBILITY_LEVEL.exception(level);
        }
    }

    private static void requireAvro(String schemaType) {
        if (schemaType != null && !"AVRO".equalsIgnoreCase(schemaType)) {
            throw ErrorCode.UNSUPPORTED_SCHEMA_TYPE.exception(schemaType);
        }
    }
}
