using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Liaison.Workflows.Activities;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.ElsaImport;
using Liaison.Workflows.Harness;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Liaison.Workflows.Durable;

/// <summary>Summary of one stored version, as lists and the API show it.</summary>
public sealed record DefinitionVersionInfo(
    Guid Id,
    string DefinitionId,
    int Version,
    string Name,
    string? Description,
    DefinitionStatus Status,
    bool IsPublished,
    bool IsLatest,
    string? Source,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PublishedAt,
    int Revision)
{
    public string? CreatedBy { get; init; }

    /// <summary>When and by whom the version last changed (for a draft: its last save).</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    public string? UpdatedBy { get; init; }

    public string? PublishedBy { get; init; }

    public string? PublishNote { get; init; }

    internal static DefinitionVersionInfo From(DefinitionVersionRecord r) =>
        new(r.Id, r.DefinitionId, r.Version, r.Name, r.Description, r.Status, r.IsPublished, r.IsLatest, r.Source, r.CreatedAt, r.PublishedAt, r.Revision)
        {
            CreatedBy = r.CreatedBy,
            UpdatedAt = r.UpdatedAt ?? r.PublishedAt ?? r.CreatedAt,
            UpdatedBy = r.UpdatedBy ?? r.PublishedBy ?? r.CreatedBy,
            PublishedBy = r.PublishedBy,
            PublishNote = r.PublishNote,
        };
}

/// <summary>What happened to one file when the shipped definitions were loaded.</summary>
public sealed record DefinitionLoadOutcome(string File, string? DefinitionId, int? Version, string Outcome, IReadOnlyList<ValidationProblem> Problems);

/// <summary>Parsed definitions by version row; a published version never changes, a draft is keyed by its revision.</summary>
public sealed class DefinitionCache
{
    private readonly ConcurrentDictionary<(Guid Id, int Revision), WorkflowDefinition> _definitions = new();

    // Versions that have been published never change again, so instances can find them by id alone.
    private readonly ConcurrentDictionary<Guid, WorkflowDefinition> _frozen = new();

    private readonly ConcurrentDictionary<Guid, (DefinitionVersionRecord Record, WorkflowDefinition Definition)> _published = new();

    public WorkflowDefinition Get(DefinitionVersionRecord record)
    {
        var definition = _definitions.GetOrAdd((record.Id, record.Revision), _ => WorkflowDefinitionSerializer.Read(record.Json));
        if (record.Status != DefinitionStatus.Draft)
        {
            _frozen.TryAdd(record.Id, definition);
        }

        return definition;
    }

    /// <summary>A published version's row (without its JSON) and definition, for starts that find it by id.</summary>
    public (DefinitionVersionRecord Record, WorkflowDefinition Definition) GetPublished(DefinitionVersionRecord record)
    {
        var definition = Get(record);
        return _published.GetOrAdd(record.Id, _ => (Slim(record), definition));
    }

    public bool TryGetPublished(Guid versionId, out (DefinitionVersionRecord Record, WorkflowDefinition Definition) published) =>
        _published.TryGetValue(versionId, out published);

    // Only what starting an instance reads; the JSON is parsed already.
    private static DefinitionVersionRecord Slim(DefinitionVersionRecord r) => new()
    {
        Id = r.Id,
        DefinitionId = r.DefinitionId,
        Version = r.Version,
        Name = r.Name,
        Status = r.Status,
        IsPublished = true,
        Json = string.Empty,
        ContentHash = r.ContentHash,
        CreatedAt = r.CreatedAt,
        PublishedAt = r.PublishedAt,
        Revision = r.Revision,
    };

    public bool TryGetFrozen(Guid versionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out WorkflowDefinition? definition) =>
        _frozen.TryGetValue(versionId, out definition);
}

/// <summary>
/// Versions of workflow definitions: drafts, publishing (validated), retracting, rolling back, history,
/// import, and loading the shipped files of workflows-json.
/// </summary>
public sealed partial class DefinitionStore(
    WorkflowsDbContext db,
    ActivityRegistry registry,
    DefinitionCache cache,
    TimeProvider clock,
    ILogger<DefinitionStore> logger)
{
    public async Task<IReadOnlyList<DefinitionVersionInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.Definitions.AsNoTracking().Where(d => d.IsLatest || d.IsPublished)
            .OrderBy(d => d.DefinitionId).ThenBy(d => d.Version).ToListAsync(cancellationToken);
        return rows.Select(DefinitionVersionInfo.From).ToList();
    }

    public async Task<IReadOnlyList<DefinitionVersionInfo>> HistoryAsync(string definitionId, CancellationToken cancellationToken = default)
    {
        var rows = await db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId)
            .OrderByDescending(d => d.Version).ToListAsync(cancellationToken);
        return rows.Count == 0 ? throw NotFound(definitionId) : rows.Select(DefinitionVersionInfo.From).ToList();
    }

    /// <summary>A version (or, without one, the latest) with its definition.</summary>
    public async Task<(DefinitionVersionInfo Info, WorkflowDefinition Definition)> GetAsync(string definitionId, int? version = null, CancellationToken cancellationToken = default)
    {
        var query = db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId);
        var row = version is { } v
            ? await query.FirstOrDefaultAsync(d => d.Version == v, cancellationToken)
            : await query.FirstOrDefaultAsync(d => d.IsLatest, cancellationToken);
        return row is null ? throw NotFound(definitionId, version) : (DefinitionVersionInfo.From(row), cache.Get(row));
    }

    /// <summary>
    /// An Elsa file imported under another id still answers to its Elsa definitionId (kept in its metadata), so
    /// Elsa's ExecuteWorkflow, DispatchWorkflow and workflow-as-activity references to it resolve. Only asked when
    /// no definition has that id; the text match narrows the rows, the parsed metadata decides.
    /// </summary>
    private async Task<IdOnly?> PublishedByElsaIdAsync(string elsaDefinitionId, CancellationToken cancellationToken)
    {
        var candidates = await db.Definitions.AsNoTracking().Where(d => d.IsPublished && d.Json.Contains(elsaDefinitionId))
            .OrderBy(d => d.DefinitionId).Take(20).ToListAsync(cancellationToken);
        return candidates.Where(c => ValueConversion.AsString(cache.Get(c).Metadata.GetValueOrDefault(ElsaImporter.ElsaDefinitionIdKey)) == elsaDefinitionId)
            .Select(c => new IdOnly(c.Id)).FirstOrDefault();
    }

    private sealed record IdOnly(Guid Id);

    public async Task<(DefinitionVersionRecord Record, WorkflowDefinition Definition)> GetPublishedAsync(string definitionId, CancellationToken cancellationToken = default)
    {
        // Which version is published may change on any node, so it is asked every time, but only its id: a
        // published version never changes, so its row and parsed definition come from the cache after the first start.
        var published = await db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId && d.IsPublished)
            .Select(d => new IdOnly(d.Id)).FirstOrDefaultAsync(cancellationToken)
            ?? await PublishedByElsaIdAsync(definitionId, cancellationToken);
        if (published is not null && cache.TryGetPublished(published.Id, out var known))
        {
            return known;
        }

        var row = published is null ? null : await db.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == published.Id, cancellationToken);
        if (row is null)
        {
            var exists = await db.Definitions.AnyAsync(d => d.DefinitionId == definitionId, cancellationToken);
            throw exists
                ? new WorkflowEngineException(EngineErrorKind.Conflict, $"workflow '{definitionId}' has no published version; publish one before starting instances")
                : NotFound(definitionId);
        }

        return cache.GetPublished(row);
    }

    /// <summary>The exact version an instance runs on.</summary>
    public async Task<WorkflowDefinition> GetVersionAsync(Guid versionId, CancellationToken cancellationToken = default)
    {
        if (cache.TryGetFrozen(versionId, out var known))
        {
            return known;
        }

        var row = await db.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == versionId, cancellationToken)
            ?? throw new WorkflowEngineException(EngineErrorKind.NotFound, $"definition version {versionId} does not exist");
        return cache.Get(row);
    }

    public IReadOnlyList<ValidationProblem> Validate(WorkflowDefinition definition) => new WorkflowValidator(registry).Validate(definition);

    /// <summary>
    /// Saves edits: updates the current draft, or opens a new draft version after the latest one. Drafts
    /// may be invalid; publishing is what validates. Pass the revision you edited to detect lost updates.
    /// </summary>
    public Task<DefinitionVersionInfo> SaveDraftAsync(WorkflowDefinition definition, string? source = null, int? expectedRevision = null, CancellationToken cancellationToken = default) =>
        SaveDraftAsync(definition, source, expectedRevision, actor: null, cancellationToken);

    /// <inheritdoc cref="SaveDraftAsync(WorkflowDefinition, string?, int?, CancellationToken)"/>
    /// <param name="actor">The user name recorded as having made the change.</param>
    public async Task<DefinitionVersionInfo> SaveDraftAsync(WorkflowDefinition definition, string? source, int? expectedRevision, string? actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(definition.DefinitionId))
        {
            throw new WorkflowEngineException(EngineErrorKind.BadRequest, "a definition needs a definitionId");
        }

        var now = clock.GetUtcNow();
        var latest = await db.Definitions.FirstOrDefaultAsync(d => d.DefinitionId == definition.DefinitionId && d.IsLatest, cancellationToken);
        if (latest is { Status: DefinitionStatus.Draft })
        {
            if (expectedRevision is { } expected && expected != latest.Revision)
            {
                throw new WorkflowEngineException(EngineErrorKind.Conflict, $"draft {definition.DefinitionId} v{latest.Version} was changed by someone else (revision {latest.Revision}, you edited {expected}); reload it");
            }

            definition.Version = latest.Version;
            latest.Json = WorkflowDefinitionSerializer.Write(definition);
            latest.ContentHash = Hash(definition);
            latest.Name = NameOf(definition);
            latest.Description = definition.Description;
            latest.Source = source ?? latest.Source;
            latest.UpdatedAt = now;
            latest.UpdatedBy = actor;
            latest.Revision++;
            await SaveAsync(cancellationToken);
            return DefinitionVersionInfo.From(latest);
        }

        var nextVersion = (await db.Definitions.Where(d => d.DefinitionId == definition.DefinitionId).MaxAsync(d => (int?)d.Version, cancellationToken) ?? 0) + 1;
        if (latest is not null)
        {
            latest.IsLatest = false;
        }

        definition.Version = nextVersion;
        var record = new DefinitionVersionRecord
        {
            Id = Guid.NewGuid(),
            DefinitionId = definition.DefinitionId,
            Version = nextVersion,
            Name = NameOf(definition),
            Description = definition.Description,
            Status = DefinitionStatus.Draft,
            IsLatest = true,
            Json = WorkflowDefinitionSerializer.Write(definition),
            ContentHash = Hash(definition),
            Source = source,
            CreatedAt = now,
            CreatedBy = actor,
            UpdatedAt = now,
            UpdatedBy = actor,
        };
        db.Definitions.Add(record);
        await SaveAsync(cancellationToken);
        return DefinitionVersionInfo.From(record);
    }

    /// <summary>Validates a version (default: the latest) and makes it the one new instances start on.</summary>
    public Task<DefinitionVersionInfo> PublishAsync(string definitionId, int? version = null, CancellationToken cancellationToken = default) =>
        PublishAsync(definitionId, version, actor: null, note: null, cancellationToken);

    /// <inheritdoc cref="PublishAsync(string, int?, CancellationToken)"/>
    /// <param name="actor">Who publishes; kept in the history with <paramref name="note"/>.</param>
    /// <param name="note">Why, in the designer's words.</param>
    public async Task<DefinitionVersionInfo> PublishAsync(string definitionId, int? version, string? actor, string? note, CancellationToken cancellationToken = default)
    {
        var rows = await db.Definitions.Where(d => d.DefinitionId == definitionId && (d.IsPublished || d.IsLatest || d.Version == version)).ToListAsync(cancellationToken);
        var target = (version is { } v ? rows.FirstOrDefault(r => r.Version == v) : rows.FirstOrDefault(r => r.IsLatest))
            ?? throw NotFound(definitionId, version);
        if (target.IsPublished)
        {
            return DefinitionVersionInfo.From(target);
        }

        var problems = Validate(cache.Get(target));
        if (problems.Count > 0)
        {
            throw new WorkflowEngineException(
                EngineErrorKind.Invalid,
                $"{definitionId} v{target.Version} cannot be published: {problems.Count} problem(s)",
                problems);
        }

        foreach (var previous in rows.Where(r => r.IsPublished))
        {
            previous.IsPublished = false;
        }

        // Two steps so the unique "one published version" index never sees two at once.
        await SaveAsync(cancellationToken);
        target.IsPublished = true;
        target.Status = DefinitionStatus.Published;
        target.PublishedAt = clock.GetUtcNow();
        target.PublishedBy = actor;
        target.PublishNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        target.UpdatedAt = target.PublishedAt;
        target.UpdatedBy = actor;
        await SaveAsync(cancellationToken);

        // This node starts the new version without reading its row again; other nodes read it on their first start.
        cache.GetPublished(target);
        LogPublished(logger, definitionId, target.Version);
        return DefinitionVersionInfo.From(target);
    }

    /// <summary>Stops new instances of a workflow; running ones continue on their version.</summary>
    public async Task<DefinitionVersionInfo> RetractAsync(string definitionId, string? actor = null, CancellationToken cancellationToken = default)
    {
        var published = await db.Definitions.FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.IsPublished, cancellationToken)
            ?? throw new WorkflowEngineException(EngineErrorKind.Conflict, $"workflow '{definitionId}' has no published version to retract");
        published.IsPublished = false;
        published.Status = DefinitionStatus.Retracted;
        published.UpdatedAt = clock.GetUtcNow();
        published.UpdatedBy = actor;
        await SaveAsync(cancellationToken);
        return DefinitionVersionInfo.From(published);
    }

    /// <summary>
    /// Deletes the open draft of a workflow; the version before it becomes the latest again. A workflow
    /// that never got past its first draft disappears. Published or retracted versions are never deleted.
    /// </summary>
    public async Task DeleteDraftAsync(string definitionId, CancellationToken cancellationToken = default)
    {
        var versions = await db.Definitions.Where(d => d.DefinitionId == definitionId).OrderByDescending(d => d.Version).Take(2).ToListAsync(cancellationToken);
        if (versions.Count == 0)
        {
            throw NotFound(definitionId);
        }

        var draft = versions[0];
        if (draft.Status != DefinitionStatus.Draft || draft.PublishedAt is not null)
        {
            throw new WorkflowEngineException(EngineErrorKind.Conflict, $"workflow '{definitionId}' has no open draft: v{draft.Version} is {draft.Status.ToString().ToLowerInvariant()} and stays in the history");
        }

        db.Definitions.Remove(draft);
        if (versions.Count > 1)
        {
            versions[1].IsLatest = true;
        }

        await SaveAsync(cancellationToken);
    }

    /// <summary>Copies an earlier version into a new draft; publish it to roll back.</summary>
    public async Task<DefinitionVersionInfo> RollbackAsync(string definitionId, int version, string? actor = null, CancellationToken cancellationToken = default)
    {
        var (_, old) = await GetAsync(definitionId, version, cancellationToken);
        var copy = WorkflowDefinitionSerializer.Read(WorkflowDefinitionSerializer.Write(old));
        var latest = await db.Definitions.AsNoTracking().FirstAsync(d => d.DefinitionId == definitionId && d.IsLatest, cancellationToken);
        return await SaveDraftAsync(copy, $"rollback:{version}", latest.Status == DefinitionStatus.Draft ? latest.Revision : null, actor, cancellationToken);
    }

    /// <summary>Reads a native or Elsa 3 definition; anything else is a bad request naming the problem.</summary>
    public static (WorkflowFileFormat Format, WorkflowDefinition Definition) Load(string json)
    {
        try
        {
            return WorkflowHarness.Load(json);
        }
        catch (WorkflowFileException ex)
        {
            throw new WorkflowEngineException(EngineErrorKind.BadRequest, $"the content is not a workflow definition: {ex.Message}", inner: ex);
        }
    }

    /// <summary>Reads bytes that must be UTF-8; anything else is a bad request naming the problem.</summary>
    public static (WorkflowFileFormat Format, WorkflowDefinition Definition) Load(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return WorkflowHarness.Load(utf8);
        }
        catch (WorkflowFileException ex)
        {
            throw new WorkflowEngineException(EngineErrorKind.BadRequest, $"the content is not a workflow definition: {ex.Message}", inner: ex);
        }
    }

    /// <summary>Imports a native or Elsa 3 file as a draft; unsupported activities stay visible and block publishing only.</summary>
    public Task<(DefinitionVersionInfo Info, IReadOnlyList<ValidationProblem> Problems)> ImportAsync(string json, string? definitionIdOverride = null, string? actor = null, CancellationToken cancellationToken = default) =>
        ImportAsync(Load(json), definitionIdOverride, actor, cancellationToken);

    /// <summary>Imports UTF-8 bytes (as an upload or request body arrives).</summary>
    public Task<(DefinitionVersionInfo Info, IReadOnlyList<ValidationProblem> Problems)> ImportAsync(byte[] utf8, string? definitionIdOverride = null, string? actor = null, CancellationToken cancellationToken = default) =>
        ImportAsync(Load(utf8), definitionIdOverride, actor, cancellationToken);

    private async Task<(DefinitionVersionInfo Info, IReadOnlyList<ValidationProblem> Problems)> ImportAsync((WorkflowFileFormat Format, WorkflowDefinition Definition) loaded, string? definitionIdOverride, string? actor, CancellationToken cancellationToken)
    {
        var (format, definition) = loaded;

        if (!string.IsNullOrWhiteSpace(definitionIdOverride))
        {
            definition.DefinitionId = definitionIdOverride;
        }

        var info = await SaveDraftAsync(definition, format == WorkflowFileFormat.Elsa ? "import:elsa" : "import:native", null, actor, cancellationToken);
        return (info, Validate(definition));
    }

    /// <summary>
    /// Loads the shipped definitions. The folder seeds, it never overrides: a file is published when its
    /// definition is absent, or when it changed since it was last loaded and nobody published that
    /// definition since; otherwise the database wins and the outcome says why. An invalid file becomes
    /// a draft with its problems logged.
    /// </summary>
    public async Task<IReadOnlyList<DefinitionLoadOutcome>> LoadDirectoryAsync(string directory, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<DefinitionLoadOutcome>();
        if (!Directory.Exists(directory))
        {
            return outcomes;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.json", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            WorkflowDefinition definition;
            try
            {
                (_, definition) = Load(await File.ReadAllTextAsync(file, cancellationToken));
            }
            catch (WorkflowEngineException ex)
            {
                LogUnreadable(logger, name, ex.Message);
                outcomes.Add(new DefinitionLoadOutcome(name, null, null, "unreadable: " + ex.Message, []));
                continue;
            }

            var hash = Hash(definition);
            var versions = await db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definition.DefinitionId)
                .OrderBy(d => d.Version).ToListAsync(cancellationToken);
            if (KeptByDatabase(versions, hash) is { } kept)
            {
                outcomes.Add(new DefinitionLoadOutcome(name, definition.DefinitionId, kept.Version, kept.Outcome, []));
                if (kept.Outcome != Unchanged)
                {
                    LogKept(logger, name, definition.DefinitionId, kept.Outcome);
                }

                continue;
            }

            var draft = await SaveDraftAsync(definition, $"file:{name}", cancellationToken: cancellationToken);
            var problems = Validate(definition);
            if (problems.Count > 0)
            {
                LogInvalidFile(logger, name, string.Join("; ", problems));
                outcomes.Add(new DefinitionLoadOutcome(name, definition.DefinitionId, draft.Version, "draft (invalid)", problems));
                continue;
            }

            var published = await PublishAsync(definition.DefinitionId, draft.Version, cancellationToken);
            outcomes.Add(new DefinitionLoadOutcome(name, definition.DefinitionId, published.Version, "published", []));
        }

        return outcomes;
    }

    private const string Unchanged = "unchanged";

    /// <summary>Why a shipped file must not be loaded over what the database holds, or null when it may.</summary>
    private static (int Version, string Outcome)? KeptByDatabase(IReadOnlyList<DefinitionVersionRecord> versions, string fileHash)
    {
        if (versions.Count == 0)
        {
            return null;
        }

        var newest = versions[^1];
        var lastImport = versions.LastOrDefault(v => v.Source?.StartsWith("file:", StringComparison.Ordinal) == true);
        if (lastImport is null)
        {
            return newest.ContentHash == fileHash
                ? (newest.Version, Unchanged)
                : (newest.Version, $"kept: the database's v{newest.Version} was not loaded from a file, the database wins");
        }

        if (lastImport.ContentHash == fileHash)
        {
            return (lastImport.Version, Unchanged);
        }

        var publishedSince = versions.LastOrDefault(v => v.Version > lastImport.Version && v.PublishedAt is not null);
        if (publishedSince is not null)
        {
            return (publishedSince.Version, $"kept: the file changed, but v{publishedSince.Version} was published by {publishedSince.PublishedBy ?? "someone"} since the last import (v{lastImport.Version}), the database wins");
        }

        // A designer's unpublished draft is work in progress: loading the file would overwrite it.
        if (newest.Version > lastImport.Version && newest.Status == DefinitionStatus.Draft)
        {
            return (newest.Version, $"kept: the file changed, but draft v{newest.Version} by {newest.UpdatedBy ?? newest.CreatedBy ?? "someone"} is open, the database wins");
        }

        return null;
    }

    /// <summary>Content hash that ignores the version number, so re-saving identical content is detectable.</summary>
    public static string Hash(WorkflowDefinition definition)
    {
        var version = definition.Version;
        definition.Version = 0;
        try
        {
            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(WorkflowDefinitionSerializer.Write(definition))));
        }
        finally
        {
            definition.Version = version;
        }
    }

    private static string NameOf(WorkflowDefinition definition) => string.IsNullOrWhiteSpace(definition.Name) ? definition.DefinitionId : definition.Name;

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            db.ChangeTracker.Clear();
            throw new WorkflowEngineException(EngineErrorKind.Conflict, "the definition was changed at the same time by someone else; reload and try again", inner: ex);
        }
    }

    private static WorkflowEngineException NotFound(string definitionId, int? version = null) =>
        new(EngineErrorKind.NotFound, version is null ? $"workflow '{definitionId}' does not exist" : $"workflow '{definitionId}' has no version {version}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Published workflow {DefinitionId} v{Version}")]
    private static partial void LogPublished(ILogger logger, string definitionId, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow file {File} is not readable: {Problem}")]
    private static partial void LogUnreadable(ILogger logger, string file, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow file {File} not loaded over {DefinitionId}: {Reason}")]
    private static partial void LogKept(ILogger logger, string file, string definitionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow file {File} is kept as a draft, it has problems: {Problems}")]
    private static partial void LogInvalidFile(ILogger logger, string file, string problems);
}
