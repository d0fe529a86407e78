using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Liaison.Benchmarks.Scale;

/// <summary>What the loader wrote: rows per table and how long it took.</summary>
public sealed record LoadResult(IReadOnlyList<(string Table, long Rows)> Tables, TimeSpan CopyTime, TimeSpan IndexTime, TimeSpan AnalyzeTime, IReadOnlyList<Guid> SampleSuggestionIds)
{
    public long TotalRows => Tables.Sum(t => t.Rows);

    public TimeSpan Total => CopyTime + IndexTime + AnalyzeTime;
}

/// <summary>
/// Generates five years of suggestions (with their unit tasks, replies, evaluations, consultations,
/// extension requests and audit trail) and public opinions, and streams them with binary COPY into the
/// migrated snake_case tables, one connection per table so that the server parses them in parallel
/// while this thread generates. Secondary indexes are dropped for the load and rebuilt from their own
/// definitions afterwards (faster than maintaining them row by row); FK triggers are skipped per
/// session (session_replication_role = replica) because the generator only writes consistent keys.
/// </summary>
public sealed class ScaleLoader
{
    public const int Units = 200;
    public const int DeputyCount = 10_000;
    public const int DeputyGroups = 815;
    public const int Stations = 500;
    public const int Leaders = 40;
    public const int Term = 16;

    private static readonly string[] Fields = ["transport", "education", "health", "water", "urban-construction", "agriculture", "environment", "social-security"];
    private static readonly string[] TurnAwayReasons = ["PersonalOrRelativesMatter", "LitigationOrArbitration", "PetitionOrAccusation", "Advertising", "EmptyContent", "OutsideJurisdiction"];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华", "平", "刚", "桂英", "建国"];
    private static readonly string[] Topics = ["关于优化公交线路的建议", "关于加强中小学课后服务的建议", "关于完善社区医疗服务的建议", "关于保护饮用水源地的建议", "关于老旧小区改造的建议", "关于支持农村合作社发展的建议", "关于治理城市扬尘的建议", "关于提高养老服务水平的建议"];

    private readonly Random random = new(20261129);
    private readonly DateTime now;
    private readonly DateTime start;
    private readonly int rows;
    private readonly double opinionsPerSuggestion;
    private readonly Guid[] units = new Guid[Units];
    private readonly string[] unitNames = new string[Units];
    private readonly double[] unitWeights = new double[Units];
    private readonly Guid[] deputies = new Guid[DeputyCount];
    private readonly string[] deputyNames = new string[DeputyCount];
    private readonly Guid[] stations = new Guid[Stations];
    private readonly Guid[] leaders = new Guid[Leaders];
    private readonly string[] suggestionTexts;
    private readonly string[] replyTexts;
    private readonly Dictionary<int, int> sequences = [];
    private readonly List<Guid> sample = [];

    private Table suggestions = null!;
    private Table coSigners = null!;
    private Table tasks = null!;
    private Table replies = null!;
    private Table evaluations = null!;
    private Table consultations = null!;
    private Table extensions = null!;
    private Table audit = null!;
    private Table opinions = null!;

    public ScaleLoader(int rows, double opinionsPerSuggestion, DateTime now)
    {
        this.rows = rows;
        this.opinionsPerSuggestion = opinionsPerSuggestion;
        this.now = now;
        start = now.AddYears(-5);
        suggestionTexts = Enumerable.Range(0, 16).Select(i => string.Concat(Enumerable.Repeat($"{Topics[i % Topics.Length]}：群众反映问题较多，建议有关部门加强调研、完善制度、落实责任、接受监督。第{i}稿。", 6))).ToArray();
        replyTexts = Enumerable.Range(0, 8).Select(i => string.Concat(Enumerable.Repeat($"尊敬的代表：您提出的建议收悉，我单位高度重视，经认真研究，现答复如下（{i}）。", 4))).ToArray();
    }

    /// <summary>The tables the generator fills; their secondary indexes are rebuilt after the load.</summary>
    public static IReadOnlyList<string> BulkTables => ["suggestions", "suggestion_co_signers", "unit_tasks", "replies", "evaluations", "consultations", "extension_requests", "audit_entries", "public_opinions"];

    public async Task<LoadResult> LoadAsync(string connectionString, Action<string> log)
    {
        var watch = Stopwatch.StartNew();
        await using var admin = new NpgsqlConnection(connectionString);
        await admin.OpenAsync();
        var indexes = await DropSecondaryIndexesAsync(admin);
        log($"dropped {indexes.Count} secondary indexes for the load");

        await LoadOrganisationAsync(connectionString);
        suggestions = await Table.OpenAsync(connectionString, "suggestions", "id, term, year, sequence, title, text, source, status, lead_deputy_id, submitted_at, received_at, turn_away_reason, turn_away_note, field, is_key, leading_leader_id, supervising_leader_id, assignment_mode, assigned_at, source_opinion_id");
        coSigners = await Table.OpenAsync(connectionString, "suggestion_co_signers", "suggestion_id, deputy_id");
        tasks = await Table.OpenAsync(connectionString, "unit_tasks", "id, suggestion_id, unit_id, role, status, assigned_at, return_deadline, due_at, original_due_at, latest_due_at, signed_for_at, signed_for_by, returned_at, return_reason, co_opinion, completed_at");
        replies = await Table.OpenAsync(connectionString, "replies", "id, suggestion_id, task_id, unit_id, round, category, text, status, drafted_at, drafted_by, approved_at, approved_by, sent_at, due_at, on_time, public_interest, publish_due_at, published_at, follow_up_open, solved_at");
        evaluations = await Table.OpenAsync(connectionString, "evaluations", "id, reply_id, suggestion_id, deputy_id, result, comment, at");
        consultations = await Table.OpenAsync(connectionString, "consultations", "id, suggestion_id, task_id, unit_id, method, stage, at, participants, notes, recorded_at");
        extensions = await Table.OpenAsync(connectionString, "extension_requests", "id, suggestion_id, task_id, reason, explanation_to_deputy, previous_due_at, requested_due_at, requested_at, requested_by, status, decided_at, decided_by, decision_note");
        audit = await Table.OpenAsync(connectionString, "audit_entries", "at, actor_id, actor_name, action, subject_type, subject_id, suggestion_id, detail");
        opinions = await Table.OpenAsync(connectionString, "public_opinions", "id, deputy_id, channel, station_id, citizen_name, citizen_contact_phone, content, received_at, status, answer, answered_at, forwarded_to_unit_id, forwarded_at, due_at, unit_answer, unit_answered_at, suggestion_id");
        Table[] all = [suggestions, coSigners, tasks, replies, evaluations, consultations, extensions, audit, opinions];

        var span = (now - start).Ticks;
        var opinionDebt = 0.0;
        for (var i = 0; i < rows; i++)
        {
            var submitted = start.AddTicks((long)((i + random.NextDouble()) / rows * span));
            var suggestionId = Suggestion(submitted);
            opinionDebt += opinionsPerSuggestion;
            while (opinionDebt >= 1)
            {
                opinionDebt--;
                Opinion(submitted.AddMinutes(random.Next(-600, 600)), suggestionId);
            }

            if ((i + 1) % 100_000 == 0)
            {
                log(string.Create(CultureInfo.InvariantCulture, $"  {i + 1:N0} suggestions generated ({watch.Elapsed.TotalSeconds:F0} s)"));
            }
        }

        foreach (var table in all)
        {
            await table.CompleteAsync();
        }

        var copyTime = watch.Elapsed;
        log(string.Create(CultureInfo.InvariantCulture, $"COPY done: {all.Sum(t => t.Rows):N0} rows in {copyTime.TotalSeconds:F0} s; rebuilding {indexes.Count} indexes"));
        watch.Restart();
        await RebuildIndexesAsync(connectionString, indexes);
        var indexTime = watch.Elapsed;
        log(string.Create(CultureInfo.InvariantCulture, $"indexes rebuilt in {indexTime.TotalSeconds:F0} s; ANALYZE"));
        watch.Restart();
        await using (var analyze = new NpgsqlCommand("VACUUM (ANALYZE)", admin) { CommandTimeout = 0 })
        {
            // VACUUM also sets the visibility map, so index-only scans work as they would on a settled database.
            await analyze.ExecuteNonQueryAsync();
        }

        var tables = new List<(string, long)>
        {
            ("handling_units", Units), ("deputies", DeputyCount), ("deputy_groups", DeputyGroups), ("stations", Stations), ("leaders", Leaders),
        };
        tables.AddRange(all.Select(t => (t.Name, t.Rows)));
        return new LoadResult(tables, copyTime, indexTime, watch.Elapsed, sample);
    }

    private static async Task<List<string>> DropSecondaryIndexesAsync(NpgsqlConnection admin)
    {
        var definitions = new List<(string Name, string Definition)>();
        await using (var select = new NpgsqlCommand(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY(@tables) AND indexname NOT IN (SELECT conname FROM pg_constraint)", admin))
        {
            select.Parameters.AddWithValue("tables", BulkTables.ToArray());
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                definitions.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in definitions)
        {
            await using var drop = new NpgsqlCommand($"DROP INDEX \"{name}\"", admin);
            await drop.ExecuteNonQueryAsync();
        }

        return definitions.Select(d => d.Definition).ToList();
    }

    private static async Task RebuildIndexesAsync(string connectionString, IReadOnlyList<string> definitions)
    {
        // Two at a time: one per core.
        var queue = new Queue<string>(definitions);
        async Task Worker()
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using (var memory = new NpgsqlCommand("SET maintenance_work_mem = '512MB'", connection))
            {
                await memory.ExecuteNonQueryAsync();
            }

            while (true)
            {
                string definition;
                lock (queue)
                {
                    if (!queue.TryDequeue(out definition!))
                    {
                        return;
                    }
                }

                await using var create = new NpgsqlCommand(definition, connection) { CommandTimeout = 0 };
                await create.ExecuteNonQueryAsync();
            }
        }

        await Task.WhenAll(Worker(), Worker());
    }

    private async Task LoadOrganisationAsync(string connectionString)
    {
        // Unit sizes follow a Zipf-like curve: a few departments get most suggestions, as in practice.
        for (var i = 0; i < Units; i++)
        {
            units[i] = Guid.CreateVersion7(start);
            unitNames[i] = i < 40 ? $"市第{i + 1}局" : i < 60 ? $"第{i - 39}区人民政府" : $"市第{i + 1}办公室";
            unitWeights[i] = 1 / Math.Pow(i + 1, 0.7) + (i == 0 ? 0 : unitWeights[i - 1]);
        }

        await using (var t = await Table.OpenAsync(connectionString, "handling_units", "id, name, kind, head_name, parent_id"))
        {
            for (var i = 0; i < Units; i++)
            {
                t.Row().Uuid(units[i]).Text(unitNames[i]).Text(i < 40 ? "GovernmentDepartment" : i < 60 ? "District" : "Other").Text($"{Surnames[i % 20]}主任").Null();
            }

            await t.CompleteAsync();
        }

        var groups = Enumerable.Range(0, DeputyGroups).Select(_ => Guid.CreateVersion7(start)).ToArray();
        await using (var t = await Table.OpenAsync(connectionString, "deputy_groups", "id, name"))
        {
            for (var i = 0; i < DeputyGroups; i++)
            {
                t.Row().Uuid(groups[i]).Text($"第{i + 1}代表小组");
            }

            await t.CompleteAsync();
        }

        await using (var t = await Table.OpenAsync(connectionString, "stations", "id, name, kind, address, public_code"))
        {
            for (var i = 0; i < Stations; i++)
            {
                stations[i] = Guid.CreateVersion7(start);
                t.Row().Uuid(stations[i]).Text($"第{i + 1}代表联络站").Text(i % 10 == 0 ? "Home" : i % 3 == 0 ? "Room" : "Station").Text($"人民路{i + 1}号").Text($"BENCH-ST-{i:D4}");
            }

            await t.CompleteAsync();
        }

        await using (var t = await Table.OpenAsync(connectionString, "leaders", "id, name, kind, title"))
        {
            for (var i = 0; i < Leaders; i++)
            {
                leaders[i] = Guid.CreateVersion7(start);
                t.Row().Uuid(leaders[i]).Text($"{Surnames[i % 20]}{Given[(i * 7) % 20]}").Text(i % 2 == 0 ? "Government" : "StandingCommittee").Text("副市长");
            }

            await t.CompleteAsync();
        }

        string[] levels = ["National", "Provincial", "City", "County", "Township"];
        await using (var t = await Table.OpenAsync(connectionString, "deputies", "id, name, level, term, deputy_group_id, station_id, public_code, contact_phone, contact_email, contact_address"))
        {
            for (var i = 0; i < DeputyCount; i++)
            {
                deputies[i] = Guid.CreateVersion7(start);
                deputyNames[i] = $"{Surnames[i % 20]}{Given[(i / 20) % 20]}{i}";
                t.Row().Uuid(deputies[i]).Text(deputyNames[i]).Text(levels[Math.Min(4, i / 400)]).Int(Term).Uuid(groups[i % DeputyGroups]).Uuid(stations[i % Stations])
                    .Text($"BENCH-D-{i:D5}").Text($"1380000{i:D4}").Null().Null();
            }

            await t.CompleteAsync();
        }
    }

    private Guid Suggestion(DateTime submitted)
    {
        var id = Guid.CreateVersion7(new DateTimeOffset(submitted));
        if (sample.Count < 10_000 || random.Next(rows) < 10_000)
        {
            // Roughly uniform over the five years: the timeline is measured on random suggestions.
            if (sample.Count < 10_000)
            {
                sample.Add(id);
            }
            else
            {
                sample[random.Next(sample.Count)] = id;
            }
        }

        var deputy = random.Next(DeputyCount);
        var field = Fields[random.Next(Fields.Length)];
        var isKey = random.NextDouble() < 0.02;
        var title = $"{Topics[Array.IndexOf(Fields, field)]}（{submitted:yyyyMMdd}）";
        var source = submitted.Month == 1 && submitted.Day < 20 ? "CongressSession" : "BetweenSessions";
        Audit(submitted, deputy, "suggestion.submitted", "Suggestion", id, id);
        if (random.NextDouble() < 0.15)
        {
            var signers = new HashSet<int> { deputy };
            for (var k = random.Next(1, 5); k > 0; k--)
            {
                if (signers.Add(random.Next(DeputyCount)))
                {
                    coSigners.Row().Uuid(id).Uuid(deputies[signers.Last()]);
                }
            }
        }

        var received = submitted.AddHours(random.Next(4, 60));
        string status;
        string? turnAwayReason = null;
        int? sequence = null;
        string? mode = null;
        DateTime? assignedAt = null;
        if (received > now)
        {
            status = "Submitted";
            received = default;
        }
        else if (random.NextDouble() < 0.06)
        {
            status = "TurnedAway";
            turnAwayReason = TurnAwayReasons[random.Next(TurnAwayReasons.Length)];
            Audit(received, -1, "suggestion.turned-away", "Suggestion", id, id);
        }
        else
        {
            sequence = sequences[submitted.Year] = sequences.GetValueOrDefault(submitted.Year) + 1;
            Audit(received, -1, "suggestion.admitted", "Suggestion", id, id);
            var assigned = received.AddHours(random.Next(24, 200));
            if (assigned > now)
            {
                status = "Admitted";
            }
            else
            {
                assignedAt = assigned;
                Audit(assigned, -1, "suggestion.assigned", "Suggestion", id, id);
                var r = random.NextDouble();
                mode = r < 0.7 ? "Single" : r < 0.9 ? "LeadWithCoHandling" : "Separate";
                var lead = Unit();
                var open = 0;
                var closed = 0;
                var handling = mode == "Separate" ? 2 : 1;
                for (var k = 0; k < handling; k++)
                {
                    var unit = k == 0 ? lead : OtherUnit(lead);
                    switch (HandlingTask(id, deputy, unit, mode == "Separate" ? "Separate" : "Lead", assigned))
                    {
                        case TaskOutcome.Open: open++; break;
                        case TaskOutcome.Closed: closed++; break;
                    }
                }

                if (mode == "LeadWithCoHandling")
                {
                    for (var k = random.Next(1, 3); k > 0; k--)
                    {
                        CoTask(id, OtherUnit(lead), assigned);
                    }
                }

                status = open > 0 ? "Assigned" : closed == handling ? "Closed" : "Replied";
            }
        }

        var leading = isKey ? leaders[random.Next(Leaders)] : (Guid?)null;
        var supervising = isKey ? leaders[random.Next(Leaders)] : (Guid?)null;
        suggestions.Row().Uuid(id).Int(Term).Int(submitted.Year).Int(sequence).Text(title).Text(suggestionTexts[random.Next(suggestionTexts.Length)])
            .Text(source).Text(status).Uuid(deputies[deputy]).Time(submitted).Time(received == default ? null : received)
            .Text(turnAwayReason).Text(turnAwayReason is null ? null : "不属于建议范围").Text(status is "Submitted" ? null : field).Bool(isKey)
            .Uuid(leading).Uuid(supervising).Text(mode).Time(assignedAt).Null();
        return id;
    }

    private enum TaskOutcome
    {
        Open,
        Replied,
        Closed,
    }

    private TaskOutcome HandlingTask(Guid suggestionId, int deputy, int unit, string role, DateTime assigned)
    {
        var taskId = Guid.CreateVersion7(new DateTimeOffset(assigned));
        var due = assigned.AddMonths(3);
        var originalDue = due;
        var latest = assigned.AddMonths(6);
        var signed = assigned.AddHours(random.Next(2, 72));
        var signedAt = signed <= now ? signed : (DateTime?)null;
        if (signedAt is { } s)
        {
            Audit(s, unit, "task.signed-for", "UnitTask", taskId, suggestionId);
        }

        // 7 % are late; one in a thousand is never answered (the long tail of the overdue list).
        var late = random.NextDouble() < 0.07;
        var stuck = random.NextDouble() < 0.001;
        var replyAt = stuck ? DateTime.MaxValue : assigned.AddHours(late ? random.Next(92 * 24, 150 * 24) : random.Next(20 * 24, 88 * 24));
        if (late && random.NextDouble() < 0.4 && due.AddDays(-10) <= now)
        {
            var requested = due.AddDays(-10);
            var requestedDue = due.AddDays(60) < latest ? due.AddDays(60) : latest;
            var decided = requested.AddDays(2);
            var approved = decided <= now;
            extensions.Row().Uuid(Guid.CreateVersion7(new DateTimeOffset(requested))).Uuid(suggestionId).Uuid(taskId).Text("情况复杂，需协调多个部门").Text("已向代表说明延期原因")
                .Time(due).Time(requestedDue).Time(requested).Text($"unit:{unit}").Text(approved ? "Approved" : "Pending")
                .Time(approved ? decided : null).Text(approved ? "office" : null).Null();
            Audit(requested, unit, "extension.requested", "UnitTask", taskId, suggestionId);
            if (approved)
            {
                due = requestedDue;
                Audit(decided, -1, "extension.approved", "UnitTask", taskId, suggestionId);
            }
        }

        if (random.NextDouble() < 0.88)
        {
            var span = Math.Max(8, (int)Math.Min((replyAt - assigned).TotalDays, 150) - 3);
            var at = assigned.AddDays(random.Next(7, span));
            if (at <= now)
            {
                var consultationId = Guid.CreateVersion7(new DateTimeOffset(at));
                consultations.Row().Uuid(consultationId).Uuid(suggestionId).Uuid(taskId).Uuid(units[unit]).Text(random.Next(3) == 0 ? "Phone" : "Visit").Text("Before")
                    .Time(at).Text($"{deputyNames[deputy]}、{unitNames[unit]}经办人").Text("面商记录").Time(at);
                Audit(at, unit, "consultation.recorded", "Consultation", consultationId, suggestionId);
            }
        }

        if (replyAt > now)
        {
            tasks.Row().Uuid(taskId).Uuid(suggestionId).Uuid(units[unit]).Text(role).Text(signedAt is null ? "Assigned" : "SignedFor")
                .Time(assigned).Time(assigned.AddDays(7)).Time(due).Time(originalDue).Time(latest).Time(signedAt).Text(signedAt is null ? null : $"unit:{unit}")
                .Null().Null().Null().Null();
            return TaskOutcome.Open;
        }

        var replyId = Reply(suggestionId, taskId, unit, 1, replyAt, due);
        var status = "Replied";
        var completed = replyAt;
        var outcome = TaskOutcome.Replied;
        var evaluatedAt = replyAt.AddHours(random.Next(48, 20 * 24));
        if (evaluatedAt <= now && random.NextDouble() < 0.93)
        {
            var r = random.NextDouble();
            var result = r < 0.78 ? "Satisfied" : r < 0.95 ? "BasicallySatisfied" : "Dissatisfied";
            var evaluationId = Guid.CreateVersion7(new DateTimeOffset(evaluatedAt));
            evaluations.Row().Uuid(evaluationId).Uuid(replyId).Uuid(suggestionId).Uuid(deputies[deputy]).Text(result).Null().Time(evaluatedAt);
            Audit(evaluatedAt, deputy, "reply.evaluated", "Reply", replyId, suggestionId);
            outcome = TaskOutcome.Closed;
            if (result == "Dissatisfied")
            {
                // Re-handling: one month to reply again; most units do, the recent ones are still open.
                Audit(evaluatedAt, -1, "task.rehandling", "UnitTask", taskId, suggestionId);
                due = evaluatedAt.AddMonths(1);
                var again = evaluatedAt.AddHours(random.Next(10 * 24, 28 * 24));
                if (again <= now)
                {
                    Reply(suggestionId, taskId, unit, 2, again, due);
                    completed = again;
                }
                else
                {
                    status = "Rehandling";
                    outcome = TaskOutcome.Open;
                }
            }
        }

        tasks.Row().Uuid(taskId).Uuid(suggestionId).Uuid(units[unit]).Text(role).Text(status)
            .Time(assigned).Time(assigned.AddDays(7)).Time(due).Time(originalDue).Time(latest).Time(signedAt).Text(signedAt is null ? null : $"unit:{unit}")
            .Null().Null().Null().Time(status == "Rehandling" ? null : completed);
        return outcome;
    }

    private Guid Reply(Guid suggestionId, Guid taskId, int unit, int round, DateTime sent, DateTime due)
    {
        var id = Guid.CreateVersion7(new DateTimeOffset(sent));
        var r = random.NextDouble();
        var category = r < 0.55 ? "A" : r < 0.80 ? "B" : r < 0.92 ? "C" : "D";
        var publicInterest = random.NextDouble() < 0.3;
        var published = sent.AddDays(random.Next(5, 27));
        var drafted = sent.AddDays(-3);
        var approved = sent.AddDays(-1);
        replies.Row().Uuid(id).Uuid(suggestionId).Uuid(taskId).Uuid(units[unit]).Int(round).Text(category).Text(replyTexts[random.Next(replyTexts.Length)]).Text("Sent")
            .Time(drafted).Text($"unit:{unit}").Time(approved).Text($"head:{unit}").Time(sent).Time(due).Bool(sent <= due)
            .Bool(publicInterest).Time(publicInterest ? sent.AddDays(28) : null).Time(publicInterest && published <= now ? published : null)
            .Bool(category is "B" or "C" && random.NextDouble() < 0.6).Null();
        Audit(drafted, unit, "reply.drafted", "Reply", id, suggestionId);
        Audit(approved, unit, "reply.approved", "Reply", id, suggestionId);
        Audit(sent, unit, "reply.sent", "Reply", id, suggestionId);
        return id;
    }

    private void CoTask(Guid suggestionId, int unit, DateTime assigned)
    {
        var taskId = Guid.CreateVersion7(new DateTimeOffset(assigned));
        var due = assigned.AddMonths(1);
        var signed = assigned.AddHours(random.Next(2, 72));
        var signedAt = signed <= now ? signed : (DateTime?)null;
        var opinionAt = assigned.AddHours(random.Next(10 * 24, 35 * 24));
        var done = opinionAt <= now;
        tasks.Row().Uuid(taskId).Uuid(suggestionId).Uuid(units[unit]).Text("CoHandling").Text(done ? "CoOpinionSent" : signedAt is null ? "Assigned" : "SignedFor")
            .Time(assigned).Time(assigned.AddDays(7)).Time(due).Time(due).Time(assigned.AddMonths(6)).Time(signedAt).Text(signedAt is null ? null : $"unit:{unit}")
            .Null().Null().Text(done ? "会办意见：同意主办单位意见。" : null).Time(done ? opinionAt : null);
        if (done)
        {
            Audit(opinionAt, unit, "task.co-opinion-sent", "UnitTask", taskId, suggestionId);
        }
    }

    private void Opinion(DateTime received, Guid latestSuggestion)
    {
        if (received > now)
        {
            received = now.AddMinutes(-1);
        }

        var id = Guid.CreateVersion7(new DateTimeOffset(received));
        var deputy = random.Next(DeputyCount);
        var c = random.NextDouble();
        var channel = c < 0.4 ? "Station" : c < 0.75 ? "DeputyCode" : "Hotline12345";
        var r = random.NextDouble();
        string status;
        DateTime? answeredAt = null, forwardedAt = null, dueAt = null, unitAnsweredAt = null;
        Guid? unit = null, suggestionId = null;
        if (r < 0.45)
        {
            var at = received.AddHours(random.Next(24, 240));
            status = at <= now ? "AnsweredByDeputy" : "Open";
            answeredAt = at <= now ? at : null;
        }
        else if (r < 0.95)
        {
            var forwarded = received.AddHours(random.Next(24, 120));
            if (forwarded > now)
            {
                status = "Open";
            }
            else
            {
                unit = units[Unit()];
                forwardedAt = forwarded;
                dueAt = forwarded.AddDays(15);
                var answered = forwarded.AddHours(random.Next(72, 20 * 24));
                status = answered <= now ? "Closed" : "Forwarded";
                unitAnsweredAt = answered <= now ? answered : null;
            }
        }
        else
        {
            status = "ConvertedToSuggestion";
            suggestionId = latestSuggestion;
        }

        opinions.Row().Uuid(id).Uuid(deputies[deputy]).Text(channel).Uuid(channel == "Station" ? stations[deputy % Stations] : null).Text($"{Surnames[random.Next(20)]}先生")
            .Text("13900000000").Text("群众反映小区周边道路破损，出行不便，希望尽快修复。").Time(received).Text(status)
            .Text(answeredAt is null ? null : "已向群众解释相关政策。").Time(answeredAt).Uuid(unit).Time(forwardedAt).Time(dueAt)
            .Text(unitAnsweredAt is null ? null : "已安排修复。").Time(unitAnsweredAt).Uuid(suggestionId);
        Audit(received, deputy, "opinion.received", "PublicOpinion", id, null);
        if (forwardedAt is { } f)
        {
            Audit(f, deputy, "opinion.forwarded", "PublicOpinion", id, null);
        }
    }

    private int Unit()
    {
        var x = random.NextDouble() * unitWeights[^1];
        var i = Array.BinarySearch(unitWeights, x);
        return Math.Min(Units - 1, i >= 0 ? i : ~i);
    }

    private int OtherUnit(int other)
    {
        var u = Unit();
        return u != other ? u : (u + 1 + random.Next(Units - 1)) % Units;
    }

    /// <param name="who">A deputy index, a unit index (for unit actions) or -1 for the liaison office.</param>
    private void Audit(DateTime at, int who, string action, string subjectType, Guid subjectId, Guid? suggestionId)
    {
        // Unit actors and deputies share the index space only by convention: the action says which.
        var byUnit = action.StartsWith("task.", StringComparison.Ordinal) || action.StartsWith("reply.", StringComparison.Ordinal) && action != "reply.evaluated"
            || action.StartsWith("consultation.", StringComparison.Ordinal) || action.StartsWith("extension.requested", StringComparison.Ordinal);
        var (actorId, actorName) = who < 0 ? ("office", "代表工委")
            : byUnit ? ($"unit:{who}", unitNames[who])
            : ($"deputy:{who}", deputyNames[who]);
        audit.Row().Time(at).Text(actorId).Text(actorName).Text(action).Text(subjectType).Uuid(subjectId).Uuid(suggestionId).Null();
    }

    /// <summary>One COPY stream on its own connection.</summary>
    private sealed class Table : IAsyncDisposable
    {
        private readonly NpgsqlConnection connection;
        private readonly NpgsqlBinaryImporter importer;

        private Table(string name, NpgsqlConnection connection, NpgsqlBinaryImporter importer)
        {
            Name = name;
            this.connection = connection;
            this.importer = importer;
        }

        public string Name { get; }

        public long Rows { get; private set; }

        public static async Task<Table> OpenAsync(string connectionString, string name, string columns)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using (var replica = new NpgsqlCommand("SET session_replication_role = replica", connection))
            {
                await replica.ExecuteNonQueryAsync();
            }

            var importer = await connection.BeginBinaryImportAsync($"COPY {name} ({columns}) FROM STDIN (FORMAT BINARY)");
            return new Table(name, connection, importer);
        }

        public Table Row()
        {
            importer.StartRow();
            Rows++;
            return this;
        }

        public Table Uuid(Guid value)
        {
            importer.Write(value, NpgsqlDbType.Uuid);
            return this;
        }

        public Table Uuid(Guid? value) => value is { } v ? Uuid(v) : Null();

        public Table Text(string? value)
        {
            if (value is null)
            {
                return Null();
            }

            importer.Write(value, NpgsqlDbType.Varchar);
            return this;
        }

        public Table Int(int? value)
        {
            if (value is not { } v)
            {
                return Null();
            }

            importer.Write(v, NpgsqlDbType.Integer);
            return this;
        }

        public Table Bool(bool value)
        {
            importer.Write(value, NpgsqlDbType.Boolean);
            return this;
        }

        public Table Time(DateTime? value)
        {
            if (value is not { } v)
            {
                return Null();
            }

            importer.Write(DateTime.SpecifyKind(v, DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
            return this;
        }

        public Table Null()
        {
            importer.WriteNull();
            return this;
        }

        public async Task CompleteAsync()
        {
            await importer.CompleteAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await importer.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
