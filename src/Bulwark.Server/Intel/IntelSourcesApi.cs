using System.Security.Cryptography;
using Bulwark.Core.Intel.Matching;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Starter;
using Bulwark.Data;
using Bulwark.Data.Intel;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static Bulwark.Server.Intel.IntelSourceRequests;
using static Bulwark.Server.Intel.IntelViews;

namespace Bulwark.Server.Intel;

/// <summary>
/// The operator's intel sources (<c>/api/v1/intel/sources</c>): uploaded files, TAXII collections and MISP feeds, with
/// their default TLP and confidence for unmarked content. Every change and every poll is audited, and the intel set
/// is rebuilt after it; new content is hunted for in the recent findings of every organisation. Analysts may read.
/// </summary>
public static class IntelSourcesApi
{
    private const int MaxProblemsShown = 200;

    public static RouteGroupBuilder MapIntelSourcesApi(this RouteGroupBuilder api)
    {
        var sources = api.MapGroup("/intel/sources").WithTags("Intel");
        sources.MapGet("/", ListAsync).RequireAuthorization(Policies.Staff)
            .WithSummary("Every intel source with its settings (never its secret), last poll and what it gives the intel set.");
        sources.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.Staff).WithSummary("One source, as in the list.");
        sources.MapPost("/", CreateAsync).RequireAuthorization(Policies.Operator)
            .WithSummary("Create a source: Upload (files), Taxii (url: discovery or API root, collectionId) or MispFeed (url: the feed's base). defaultTlp (CLEAR, GREEN, AMBER, AMBER+STRICT, RED; AMBER when absent) and defaultConfidence apply to unmarked content; credentialKind Basic (username + secret) or Bearer (secret); pollMinutes 5 to 10080.");
        sources.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Policies.Operator)
            .WithSummary("Change a source: absent fields stay. A new url or collectionId clears its checkpoint and stored content; credentialKind None removes the stored secret.");
        sources.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(Policies.Operator)
            .WithSummary("Delete a source and everything stored from it; the intel set is rebuilt without it.");
        sources.MapPost("/{id:guid}/files", UploadAsync).RequireAuthorization(Policies.Operator)
            .Accepts<Stream>("application/json", "application/stix+json", "text/plain", "text/csv", "application/octet-stream")
            .WithSummary("Upload one intel file to an Upload source as the raw body; ?name= gives its file name (a name already there is replaced). STIX 2.0/2.1 bundles, MISP events, galaxy clusters and warninglists, plain lists (.txt, .csv). The answer counts what was taken and lists every problem with its file and place; a file with nothing usable is refused (422) and not kept.");
        sources.MapGet("/{id:guid}/files", FilesAsync).RequireAuthorization(Policies.Staff)
            .WithSummary("The files stored in an Upload source.");
        sources.MapDelete("/{id:guid}/files/{name}", DeleteFileAsync).RequireAuthorization(Policies.Operator)
            .WithSummary("Remove one uploaded file; the intel set is rebuilt without it.");
        sources.MapPost("/{id:guid}/poll", PollAsync).RequireAuthorization(Policies.Operator)
            .WithSummary("Poll a TAXII or MISP-feed source now (whatever its schedule); the answer says what was stored, the checkpoint, and the retro-hunt.");
        return api;
    }

    private static async Task<Ok<List<SourceView>>> ListAsync(BulwarkDbContext db, CurrentIntel current, CancellationToken ct)
    {
        var sources = await db.IntelSources.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
        var items = await ItemCountsAsync(db, null, ct);
        var snapshot = await current.GetAsync(ct);
        return TypedResults.Ok(sources.Select(s => View(s, items.GetValueOrDefault(s.Id), snapshot)).ToList());
    }

    private static async Task<Results<Ok<SourceView>, NotFound>> GetAsync(Guid id, BulwarkDbContext db, CurrentIntel current, CancellationToken ct)
    {
        var source = await db.IntelSources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return TypedResults.NotFound();
        }

        var items = await ItemCountsAsync(db, id, ct);
        return TypedResults.Ok(View(source, items.GetValueOrDefault(id), await current.GetAsync(ct)));
    }

    private static async Task<Results<Created<SourceView>, ValidationProblem>> CreateAsync(
        CreateSource request, BulwarkDbContext db, Caller caller, AuditLog audit, IntelSecrets secrets, IntelRefresher refresher,
        IOptions<IntelOptions> options, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = await NameAsync(request.Name, null, db, errors, ct);
        if (request.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            errors["kind"] = ["one of Upload, Taxii, MispFeed"];
            kind = IntelSourceKind.Upload;
        }

        var polled = kind != IntelSourceKind.Upload;
        var tlp = Tlp(request.DefaultTlp, errors) ?? Core.Intel.Index.Tlp.Amber;
        var confidence = Confidence(request.DefaultConfidence, errors) ?? 50;
        string? url = null, collection = null;
        if (polled)
        {
            url = Url(request.Url, options.Value, errors, required: true);
            collection = kind == IntelSourceKind.Taxii ? Collection(request.CollectionId, errors, required: true) : null;
            if (kind == IntelSourceKind.MispFeed && request.CollectionId is not null)
            {
                errors["collectionId"] = ["only for Taxii sources"];
            }
        }
        else
        {
            RefuseRemoteFields(errors, request.Url, request.CollectionId, request.CredentialKind, request.Username, request.Secret, request.PollMinutes);
        }

        var credentialKind = request.CredentialKind ?? IntelCredentialKind.None;
        var (username, secret) = polled ? Credentials(credentialKind, request.Username, request.Secret, null, errors) : (null, null);
        var poll = Poll(request.PollMinutes, errors) ?? 60;
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = time.GetUtcNow();
        var source = new IntelSourceRecord
        {
            Id = Guid.CreateVersion7(now),
            Name = name!,
            Kind = kind,
            DefaultTlp = tlp,
            DefaultConfidence = confidence,
            Url = url,
            CollectionId = collection,
            CredentialKind = polled ? credentialKind : IntelCredentialKind.None,
            Username = username,
            ProtectedSecret = secret is null ? null : secrets.Protect(secret),
            PollMinutes = poll,
            Enabled = request.Enabled ?? true,
            CreatedAt = now,
            CreatedBy = caller.KeyId,
            ChangedAt = now,
        };
        db.IntelSources.Add(source);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("intel.source.create", $"intel-source/{source.Id} {kind}", null, ct);
        var refreshed = await refresher.RefreshAsync(newContent: false, ct);
        return TypedResults.Created($"/api/v1/intel/sources/{source.Id}", View(source, 0, refreshed.Snapshot));
    }

    private static async Task<Results<Ok<SourceView>, NotFound, ValidationProblem>> UpdateAsync(
        Guid id, UpdateSource request, BulwarkDbContext db, AuditLog audit, IntelSecrets secrets, IntelRefresher refresher,
        IOptions<IntelOptions> options, TimeProvider time, CancellationToken ct)
    {
        var source = await db.IntelSources.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return TypedResults.NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        var polled = source.Kind != IntelSourceKind.Upload;
        var name = request.Name is null ? null : await NameAsync(request.Name, id, db, errors, ct);
        var tlp = request.DefaultTlp is null ? null : Tlp(request.DefaultTlp, errors);
        var confidence = Confidence(request.DefaultConfidence, errors);
        var poll = Poll(request.PollMinutes, errors);
        string? url = null, collection = null;
        string? username = null, secret = null;
        var credentialKind = request.CredentialKind;
        if (polled)
        {
            url = request.Url is null ? null : Url(request.Url, options.Value, errors, required: true);
            if (request.CollectionId is not null)
            {
                if (source.Kind == IntelSourceKind.Taxii)
                {
                    collection = Collection(request.CollectionId, errors, required: true);
                }
                else
                {
                    errors["collectionId"] = ["only for Taxii sources"];
                }
            }

            if (credentialKind is not null || request.Username is not null || request.Secret is not null)
            {
                var kind = credentialKind ?? source.CredentialKind;
                // The stored secret is kept unless the kind of credential changes or a new one is given.
                var keep = kind == source.CredentialKind && source.ProtectedSecret is not null ? "kept" : null;
                (username, secret) = Credentials(kind, request.Username ?? (kind == IntelCredentialKind.Basic ? source.Username : null), request.Secret, keep, errors);
                credentialKind = kind;
            }
        }
        else
        {
            RefuseRemoteFields(errors, request.Url, request.CollectionId, request.CredentialKind, request.Username, request.Secret, request.PollMinutes);
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var changes = new List<string>();
        var newContent = false;
        if (name is not null && name != source.Name)
        {
            source.Name = name;
            changes.Add("name");
        }

        if (tlp is { } t && t != source.DefaultTlp)
        {
            source.DefaultTlp = t;
            changes.Add("defaultTlp");
        }

        if (confidence is { } c && c != source.DefaultConfidence)
        {
            source.DefaultConfidence = c;
            changes.Add("defaultConfidence");
        }

        if (poll is { } p && p != source.PollMinutes)
        {
            source.PollMinutes = p;
            changes.Add("pollMinutes");
        }

        if ((url is not null && url != source.Url) || (collection is not null && collection != source.CollectionId))
        {
            // Another place: what was taken from the old one goes, and the next poll starts from the beginning.
            source.Url = url ?? source.Url;
            source.CollectionId = collection ?? source.CollectionId;
            source.Checkpoint = null;
            source.LastPolledAt = null;
            source.LastSuccessAt = null;
            source.LastError = null;
            await db.IntelContents.Where(x => x.SourceId == id).ExecuteDeleteAsync(ct);
            changes.Add(url is not null ? "url" : "collectionId");
        }

        if (credentialKind is { } kindNow)
        {
            source.CredentialKind = kindNow;
            source.Username = kindNow == IntelCredentialKind.Basic ? username : null;
            if (kindNow == IntelCredentialKind.None)
            {
                source.ProtectedSecret = null;
            }
            else if (secret is not null)
            {
                source.ProtectedSecret = secrets.Protect(secret);
            }

            changes.Add("credentials");
        }

        if (request.Enabled is { } enabled && enabled != source.Enabled)
        {
            source.Enabled = enabled;
            newContent = enabled;
            changes.Add(enabled ? "enabled" : "disabled");
        }

        if (changes.Count > 0)
        {
            source.ChangedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync("intel.source.update", $"intel-source/{id} {string.Join(',', changes)}", null, ct);
        }

        var snapshot = changes.Count > 0 ? (await refresher.RefreshAsync(newContent, ct)).Snapshot : await refresher.CurrentAsync(ct);
        var items = await ItemCountsAsync(db, id, ct);
        return TypedResults.Ok(View(source, items.GetValueOrDefault(id), snapshot));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid id, BulwarkDbContext db, AuditLog audit, IntelRefresher refresher, CancellationToken ct)
    {
        var source = await db.IntelSources.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return TypedResults.NotFound();
        }

        await db.IntelContents.Where(x => x.SourceId == id).ExecuteDeleteAsync(ct);
        db.IntelSources.Remove(source);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("intel.source.delete", $"intel-source/{id}", null, ct);
        await refresher.RefreshAsync(newContent: false, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<UploadView>, NotFound, ValidationProblem, ProblemHttpResult>> UploadAsync(
        Guid id, string? name, HttpContext http, BulwarkDbContext db, AuditLog audit, IntelRefresher refresher,
        IOptions<IntelOptions> options, TimeProvider time, CancellationToken ct)
    {
        var source = await db.IntelSources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return TypedResults.NotFound();
        }

        if (source.Kind != IntelSourceKind.Upload)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"'{source.Name}' is a {source.Kind} source: files are uploaded to Upload sources"] });
        }

        var file = (name ?? "").Trim();
        if (!IsFileName(file))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = ["a file name is required: 1 to 200 letters, digits, '.', '_' or '-', not starting with '.' (e.g. campaign.json, iocs.csv)"],
            });
        }

        var max = options.Value.MaxUploadBytes;
        if (http.Request.ContentLength > max)
        {
            return TooLarge(max);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        byte[] data;
        try
        {
            data = await ReadAsync(http.Request.Body, max, ct);
        }
        catch (InvalidDataException)
        {
            return TooLarge(max);
        }
        catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(max);
        }

        var label = StoredIntel.SourceId(source, file);
        if (StoredIntel.Detect(data, file, out var reason) is not { } format)
        {
            return Unusable(label, [new ProblemView(label, "", reason!)], 1);
        }

        // Read it alone first: what it gives and every problem, before anything is kept.
        var catalog = new IntelCatalog();
        StoredIntel.ReadFile(data, format, StoredIntel.CatalogSource(source, format, file), catalog);
        var indicators = catalog.Indicators.Count + catalog.Values.Count;
        var taken = indicators + catalog.Objects.Count + catalog.Relationships.Count + catalog.Warninglists.Count;
        var problems = catalog.Problems.Select(Problem).ToList();
        if (taken == 0)
        {
            return Unusable(label, problems.Take(MaxProblemsShown).ToList(), problems.Count);
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(data));
        var now = time.GetUtcNow();
        var held = await db.IntelContents.FirstOrDefaultAsync(c => c.SourceId == id && c.Kind == IntelContentKind.File && c.Name == file, ct);
        if (held is null)
        {
            db.IntelContents.Add(new IntelContent { SourceId = id, Kind = IntelContentKind.File, Name = file, Version = sha256, Data = data, AddedAt = now });
        }
        else
        {
            held.Version = sha256;
            held.Data = data;
            held.AddedAt = now;
        }

        var row = await db.IntelSources.FirstAsync(s => s.Id == id, ct);
        row.ChangedAt = now;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("intel.file.upload", $"intel-source/{id} {file} sha256:{sha256}", null, ct);
        var refreshed = await refresher.RefreshAsync(newContent: source.Enabled, ct);
        return TypedResults.Created(
            $"/api/v1/intel/sources/{id}/files",
            new UploadView(
                id, file, Format(format), data.LongLength, sha256, held is not null, indicators, catalog.Objects.Count, catalog.Relationships.Count,
                catalog.Warninglists.Count, problems.Take(MaxProblemsShown).ToList(), problems.Count, refreshed.Snapshot.Set.Index.Count, RetroHunt(refreshed.RetroHunt)));
    }

    private static async Task<Results<Ok<List<FileView>>, NotFound>> FilesAsync(Guid id, BulwarkDbContext db, CancellationToken ct)
    {
        if (!await db.IntelSources.AnyAsync(s => s.Id == id, ct))
        {
            return TypedResults.NotFound();
        }

        var files = await db.IntelContents.AsNoTracking()
            .Where(c => c.SourceId == id && c.Kind == IntelContentKind.File)
            .OrderBy(c => c.Name)
            .Select(c => new FileView(c.Name, c.Data.Length, c.Version, c.AddedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(files);
    }

    private static async Task<Results<NoContent, NotFound>> DeleteFileAsync(Guid id, string name, BulwarkDbContext db, AuditLog audit, IntelRefresher refresher, TimeProvider time, CancellationToken ct)
    {
        var removed = await db.IntelContents.Where(c => c.SourceId == id && c.Kind == IntelContentKind.File && c.Name == name).ExecuteDeleteAsync(ct);
        if (removed == 0)
        {
            return TypedResults.NotFound();
        }

        var row = await db.IntelSources.FirstAsync(s => s.Id == id, ct);
        row.ChangedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("intel.file.delete", $"intel-source/{id} {name}", null, ct);
        await refresher.RefreshAsync(newContent: false, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<PollView>, NotFound, ValidationProblem>> PollAsync(
        Guid id, BulwarkDbContext db, IntelPoller poller, AuditLog audit, IntelRefresher refresher, CancellationToken ct)
    {
        var source = await db.IntelSources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return TypedResults.NotFound();
        }

        if (source.Kind == IntelSourceKind.Upload)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"'{source.Name}' is an Upload source: it is not polled"] });
        }

        var outcome = await poller.PollAsync(source, ct);
        await audit.RecordAsync(outcome.Succeeded ? "intel.source.poll" : "intel.source.poll-failed", IntelPollWorker.PollTarget(outcome), null, ct);
        var refreshed = outcome.Changed
            ? await refresher.RefreshAsync(outcome.NewContent && source.Enabled, ct)
            : new IntelRefresher.Outcome(await refresher.CurrentAsync(ct), null);
        return TypedResults.Ok(new PollView(
            outcome.SourceId, outcome.Name, outcome.Succeeded, outcome.Stored, outcome.Removed, outcome.Checkpoint, outcome.Error,
            [.. outcome.Problems.Select(Problem)], refreshed.Snapshot.Set.Index.Count, RetroHunt(refreshed.RetroHunt)));
    }

    private static SourceView View(IntelSourceRecord s, int items, IntelSnapshot snapshot)
    {
        var tally = snapshot.Sources.FirstOrDefault(t => t.Id == s.Id);
        var polled = s.Kind != IntelSourceKind.Upload;
        DateTimeOffset? next = polled && s.Enabled ? (s.LastPolledAt is { } last ? last + TimeSpan.FromMinutes(s.PollMinutes) : s.ChangedAt) : null;
        return new SourceView(
            s.Id, s.Name, s.Kind, IntelEvidence.TlpText(s.DefaultTlp), s.DefaultConfidence, s.Url, s.CollectionId, s.CredentialKind, s.Username,
            s.ProtectedSecret is not null, polled ? s.PollMinutes : null, s.Enabled, s.Kind == IntelSourceKind.Taxii ? s.Checkpoint : null,
            s.LastPolledAt, s.LastSuccessAt, s.LastError, next, s.CreatedAt, s.ChangedAt, items,
            tally?.Indicators ?? 0, tally?.Objects ?? 0, tally?.Relationships ?? 0, tally?.Problems ?? 0);
    }

    private static async Task<Dictionary<Guid, int>> ItemCountsAsync(BulwarkDbContext db, Guid? id, CancellationToken ct)
    {
        var query = db.IntelContents.AsNoTracking();
        if (id is { } one)
        {
            query = query.Where(c => c.SourceId == one);
        }

        return await query.GroupBy(c => c.SourceId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
    }

    private static async Task<string?> NameAsync(string? requested, Guid? self, BulwarkDbContext db, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        var name = requested?.Trim() ?? "";
        if (!IsName(name))
        {
            errors["name"] = ["a name of 1 to 100 letters, digits, spaces, '.', '_', '-', '(' or ')', starting with a letter or digit, is required"];
            return null;
        }

        if (string.Equals(name, StarterIntel.SourceId, StringComparison.OrdinalIgnoreCase))
        {
            errors["name"] = [$"'{StarterIntel.SourceId}' is the starter intelligence's name"];
            return null;
        }

        var names = await db.IntelSources.AsNoTracking().Where(s => s.Id != self).Select(s => s.Name).ToListAsync(ct);
        if (names.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            errors["name"] = [$"another source is called '{name}'"];
            return null;
        }

        return name;
    }

    private static Core.Intel.Index.Tlp? Tlp(string? text, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        var tlp = ParseTlp(text);
        if (tlp is null)
        {
            errors["defaultTlp"] = ["one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED"];
        }

        return tlp;
    }

    private static int? Confidence(int? value, Dictionary<string, string[]> errors)
    {
        if (value is < 0 or > 100)
        {
            errors["defaultConfidence"] = ["0 to 100"];
            return null;
        }

        return value;
    }

    private static int? Poll(int? value, Dictionary<string, string[]> errors)
    {
        if (value is < MinPollMinutes or > MaxPollMinutes)
        {
            errors["pollMinutes"] = [$"{MinPollMinutes} to {MaxPollMinutes} minutes"];
            return null;
        }

        return value;
    }

    private static string? Url(string? url, IntelOptions options, Dictionary<string, string[]> errors, bool required)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            if (required)
            {
                errors["url"] = ["required: the TAXII discovery or API root URL, or the MISP feed's base URL"];
            }

            return null;
        }

        var trimmed = url.Trim();
        if (UrlProblem(trimmed, options.AllowInsecureHttp) is { } problem)
        {
            errors["url"] = [problem];
            return null;
        }

        return trimmed;
    }

    private static string? Collection(string? id, Dictionary<string, string[]> errors, bool required)
    {
        var trimmed = id?.Trim() ?? "";
        if ((required || trimmed.Length > 0) && CollectionProblem(trimmed) is { } problem)
        {
            errors["collectionId"] = [problem];
            return null;
        }

        return trimmed.Length == 0 ? null : trimmed;
    }

    /// <summary>The user name and secret for <paramref name="kind"/>; <paramref name="kept"/> non-null when a stored secret may stay.</summary>
    private static (string? Username, string? Secret) Credentials(IntelCredentialKind kind, string? username, string? secret, string? kept, Dictionary<string, string[]> errors)
    {
        if (!Enum.IsDefined(kind))
        {
            errors["credentialKind"] = ["one of None, Basic, Bearer"];
            return (null, null);
        }

        if (kind == IntelCredentialKind.None)
        {
            if (username is not null || secret is not null)
            {
                errors["credentialKind"] = ["username and secret need credentialKind Basic or Bearer"];
            }

            return (null, null);
        }

        if (secret is not null && (secret.Length is 0 or > MaxSecretLength || secret.Any(char.IsControl)))
        {
            // Never echo the secret, not even in part.
            errors["secret"] = [$"1 to {MaxSecretLength} characters on one line"];
        }
        else if (secret is null && kept is null)
        {
            errors["secret"] = [kind == IntelCredentialKind.Basic ? "required with credentialKind Basic: the password" : "required with credentialKind Bearer: the token"];
        }

        if (kind == IntelCredentialKind.Basic)
        {
            var user = username?.Trim() ?? "";
            if (user.Length is 0 or > 200 || user.Contains(':', StringComparison.Ordinal) || user.Any(char.IsControl))
            {
                errors["username"] = ["required with credentialKind Basic: 1 to 200 characters, without ':'"];
            }

            return (user, secret);
        }

        if (username is not null)
        {
            errors["username"] = ["only with credentialKind Basic"];
        }

        return (null, secret);
    }

    private static bool IsFileName(string name) =>
        name.Length is >= 1 and <= 200 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static async Task<byte[]> ReadAsync(Stream body, long max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new InvalidDataException("too large");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string Format(IntelFormat format) => format switch
    {
        IntelFormat.StixBundle => "STIX",
        IntelFormat.MispEvent => "MISP event",
        IntelFormat.MispGalaxy => "MISP galaxy",
        IntelFormat.MispWarninglist => "MISP warninglist",
        IntelFormat.PlainList => "list",
        _ => format.ToString(),
    };

    private static ProblemHttpResult TooLarge(long max) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The intel file is too large",
        detail: $"intel files are limited to {max} bytes (Intel:MaxUploadBytes)");

    private static ProblemHttpResult Unusable(string file, List<ProblemView> problems, int total) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "Nothing usable in the file",
        detail: $"{file}: no indicator, object, relationship or warninglist could be taken; nothing was kept",
        extensions: new Dictionary<string, object?> { ["problems"] = problems, ["problemsTotal"] = total });

    /// <summary>An Upload source takes files: every field that only a fetched source has is refused by name.</summary>
    private static void RefuseRemoteFields(
        Dictionary<string, string[]> errors, string? url, string? collectionId, IntelCredentialKind? credentialKind, string? username, string? secret, int? pollMinutes)
    {
        foreach (var (field, given) in new (string, object?)[]
        {
            ("url", url), ("collectionId", collectionId), ("credentialKind", credentialKind),
            ("username", username), ("secret", secret), ("pollMinutes", pollMinutes),
        })
        {
            if (given is not null)
            {
                errors[field] = ["only for Taxii and MispFeed sources: an Upload source takes files"];
            }
        }
    }
}
