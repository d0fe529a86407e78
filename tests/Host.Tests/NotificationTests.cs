using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Host.Notifications;
using Liaison.Testing;
using Liaison.Workflows.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

public sealed class NotificationTests
{
    /// <summary>Records SMS texts; fails while <see cref="Failing"/> is set.</summary>
    private sealed class RecordingSms : ISmsSender
    {
        public ConcurrentQueue<string> Sent { get; } = new();

        public bool Failing { get; set; }

        public Task SendAsync(string phoneNumber, string text, CancellationToken cancellationToken)
        {
            if (Failing)
            {
                throw new InvalidOperationException("SMS gateway down");
            }

            Sent.Enqueue(phoneNumber);
            return Task.CompletedTask;
        }
    }

    private static Task<LiaisonWebApp> StartAsync(TestDatabase database, SmtpSink sink, RecordingSms sms) =>
        LiaisonWebApp.StartAsync(
            database,
            new Dictionary<string, string?>
            {
                ["Liaison:Notifications:Smtp:Host"] = "127.0.0.1",
                ["Liaison:Notifications:Smtp:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Liaison:Notifications:Smtp:From"] = "liaison@example.test",
                // The tests dispatch by hand; the recurring job must not run meanwhile.
                ["Liaison:Notifications:DispatchCron"] = "0 0 1 1 *",
            },
            services => services.AddSingleton<ISmsSender>(sms));

    private static async Task<TestUser> UserAsync(LiaisonWebApp app, string role, string? unitId, string email, string? phone = null)
    {
        var user = await app.CreateUserAsync([role], unitId);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LiaisonUser>>();
        var stored = await users.FindByIdAsync(user.Id) ?? throw new InvalidOperationException(user.Id);
        stored.Email = email;
        stored.PhoneNumber = phone;
        await users.UpdateAsync(stored);
        return user;
    }

    private static async Task<Guid> OutboxAsync(LiaisonWebApp app, string recipient, string? channel, string message = "您有一件建议即将到期。")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
        var record = new OutboxRecord
        {
            Id = Guid.NewGuid(),
            InstanceId = Guid.NewGuid(),
            ActivityId = "remind",
            Recipient = recipient,
            Channel = channel,
            Subject = "到期提醒",
            Message = message,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Outbox.Add(record);
        await db.SaveChangesAsync();
        return record.Id;
    }

    private static async Task<DispatchResult> DispatchAsync(LiaisonWebApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationDispatcher>().DispatchAsync();
    }

    /// <summary>MailKit encodes Chinese text and long headers; read them back as a mail client would.</summary>
    private static MimeKit.MimeMessage Parse(string data)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(data));
        return MimeKit.MimeMessage.Load(stream);
    }

    private static async Task<T> MessagingAsync<T>(LiaisonWebApp app, Func<MessagingDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<MessagingDbContext>());
    }

    private static async Task<T> DbAsync<T>(LiaisonWebApp app, Func<WorkflowsDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>());
    }

    [Fact]
    public async Task A_workflow_notification_is_delivered_right_after_its_burst_not_at_the_next_periodic_run()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "notify-now");
        await using var sink = new SmtpSink();
        await using var app = await StartAsync(database, sink, new RecordingSms());
        var deputy = await UserAsync(app, Roles.Deputy, null, "deputy@example.test");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<Liaison.Workflows.Durable.DefinitionStore>();
            var flow = Liaison.Testing.Flowcharts.Build(
                "notify-now",
                [
                    Liaison.Testing.Flowcharts.Activity("start", "Start"),
                    Liaison.Testing.Flowcharts.Activity("tell", "SendNotification", new System.Text.Json.Nodes.JsonObject
                    {
                        ["recipient"] = Liaison.Testing.Flowcharts.Literal(deputy.Id),
                        ["subject"] = Liaison.Testing.Flowcharts.Literal("答复已送达"),
                        ["message"] = Liaison.Testing.Flowcharts.Literal("您的建议已有答复，请评价。"),
                        ["channel"] = Liaison.Testing.Flowcharts.Literal("inapp"),
                    }),
                ],
                [("start", "Done", "tell")]);
            await store.SaveDraftAsync(Liaison.Workflows.Definitions.WorkflowDefinitionSerializer.Read(flow));
            await store.PublishAsync("notify-now");
            await scope.ServiceProvider.GetRequiredService<Liaison.Workflows.Durable.WorkflowEngine>().StartAsync("notify-now");
        }

        // The recurring dispatch is set to once a year here: only the signal after the burst can deliver it.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var delivered = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(20) && delivered == 0)
        {
            await Task.Delay(200);
            delivered = await MessagingAsync(app, db => db.Notifications.CountAsync(n => n.UserId == deputy.Id));
        }

        Assert.Equal(1, delivered);
    }

    [Fact]
    public async Task A_unit_gets_one_email_and_one_in_app_notification_each_which_only_its_owner_can_read()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "notify");
        await using var sink = new SmtpSink();
        var sms = new RecordingSms();
        await using var app = await StartAsync(database, sink, sms);
        var first = await UserAsync(app, Roles.UnitHandler, "unit-7", "first@example.test");
        var second = await UserAsync(app, Roles.UnitHead, "unit-7", "second@example.test");
        var other = await UserAsync(app, Roles.UnitHandler, "unit-8", "other@example.test");
        var outboxId = await OutboxAsync(app, "unit:unit-7", "inapp,email");

        var result = await DispatchAsync(app);
        var again = await DispatchAsync(app);

        Assert.Equal(4, result.Sent);
        Assert.Equal(0, again.Items);
        Assert.Equal(["first@example.test", "second@example.test"], sink.Messages.SelectMany(m => m.To).Order(StringComparer.Ordinal));
        Assert.All(sink.Messages.Select(m => Parse(m.Data)), m =>
        {
            Assert.StartsWith($"outbox:{outboxId}:", m.Headers["X-Liaison-Delivery"], StringComparison.Ordinal);
            Assert.Equal("到期提醒", m.Subject);
            Assert.Equal("您有一件建议即将到期。", m.TextBody);
        });
        Assert.Empty(sms.Sent);
        Assert.NotNull(await DbAsync(app, db => db.Outbox.Where(o => o.Id == outboxId).Select(o => o.DispatchedAt).SingleAsync()));

        var firstClient = await app.TokenClientAsync(first.UserName, first.Password);
        var list = await firstClient.GetFromJsonAsync<NotificationList>("/api/notifications");
        Assert.NotNull(list);
        Assert.Equal(1, list.Unread);
        var item = Assert.Single(list.Items);
        Assert.Equal("到期提醒", item.Subject);
        Assert.Equal("您有一件建议即将到期。", item.Message);

        var otherClient = await app.TokenClientAsync(other.UserName, other.Password);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.PostAsync(new Uri($"/api/notifications/{item.Id}/read", UriKind.Relative), null)).StatusCode);
        Assert.Empty((await otherClient.GetFromJsonAsync<NotificationList>("/api/notifications"))!.Items);

        Assert.Equal(HttpStatusCode.NoContent, (await firstClient.PostAsync(new Uri($"/api/notifications/{item.Id}/read", UriKind.Relative), null)).StatusCode);
        var read = await firstClient.GetFromJsonAsync<NotificationList>("/api/notifications");
        Assert.Equal(0, read!.Unread);
        Assert.NotNull(Assert.Single(read.Items).ReadAt);

        var secondClient = await app.TokenClientAsync(second.UserName, second.Password);
        Assert.Equal(1, (await secondClient.GetFromJsonAsync<NotificationList>("/api/notifications"))!.Unread);
    }

    [Fact]
    public async Task Two_dispatchers_running_at_once_on_PostgreSQL_deliver_each_notification_exactly_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "notifypar");
        await using var sink = new SmtpSink();
        var sms = new RecordingSms();
        await using var app = await StartAsync(database, sink, sms);
        for (var i = 0; i < 3; i++)
        {
            await UserAsync(app, Roles.Leader, null, $"leader{i}@example.test", $"1380000000{i}");
        }

        for (var i = 0; i < 10; i++)
        {
            await OutboxAsync(app, "role:Leader", "inapp,email,sms", $"第 {i} 条提醒");
        }

        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => DispatchAsync(app))));
        // A run that met a delivery the other was sending leaves that item to a later run.
        await DispatchAsync(app);

        Assert.Equal(30, sink.Messages.Count);
        Assert.Equal(30, sink.Messages.Select(m => Parse(m.Data).Headers["X-Liaison-Delivery"]).Distinct().Count());
        Assert.Equal(30, sms.Sent.Count);
        Assert.Equal(30, await MessagingAsync(app, db => db.Notifications.CountAsync()));
        Assert.Equal(90, await MessagingAsync(app, db => db.Deliveries.CountAsync(d => d.SentAt != null && d.Attempts == 1)));
        Assert.Equal(0, await DbAsync(app, db => db.Outbox.CountAsync(o => o.DispatchedAt == null)));
    }

    [Fact]
    public async Task A_failing_channel_is_retried_later_without_resending_the_channels_that_succeeded()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "notifyretry");
        await using var sink = new SmtpSink();
        var sms = new RecordingSms { Failing = true };
        await using var app = await StartAsync(database, sink, sms);
        var user = await UserAsync(app, Roles.Deputy, null, "deputy@example.test", "13900000000");
        var outboxId = await OutboxAsync(app, user.UserName, "inapp,email,sms");

        var failed = await DispatchAsync(app);

        Assert.Equal((2, 1), (failed.Sent, failed.Failed));
        Assert.Single(sink.Messages);
        Assert.Empty(sms.Sent);
        Assert.Null(await DbAsync(app, db => db.Outbox.Where(o => o.Id == outboxId).Select(o => o.DispatchedAt).SingleAsync()));
        Assert.Equal("SMS gateway down", await MessagingAsync(app, db => db.Deliveries.Where(d => d.Channel == "sms").Select(d => d.LastError).SingleAsync()));

        sms.Failing = false;
        var retried = await DispatchAsync(app);

        Assert.Equal((0, 0), (retried.Failed, sink.Messages.Count - 1));
        Assert.Single(sms.Sent);
        Assert.Equal(1, await MessagingAsync(app, db => db.Notifications.CountAsync(n => n.UserId == user.Id)));
        Assert.NotNull(await DbAsync(app, db => db.Outbox.Where(o => o.Id == outboxId).Select(o => o.DispatchedAt).SingleAsync()));
        Assert.Equal(2, await MessagingAsync(app, db => db.Deliveries.Where(d => d.Channel == "sms").Select(d => d.Attempts).SingleAsync()));
    }

    [Fact]
    public async Task A_leader_escalation_reaches_the_account_linked_to_that_leader_or_else_the_leadership_role()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "leader-recipients");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var leaderId = Guid.NewGuid().ToString();
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var linked = await accounts.CreateAsync(new CreateUserRequest("vice-mayor", "副市长", LiaisonWebApp.TestPassword, [Roles.Leader], LeaderId: leaderId), CancellationToken.None);
        var other = await accounts.CreateAsync(new CreateUserRequest("director", "主任", LiaisonWebApp.TestPassword, [Roles.Leader]), CancellationToken.None);
        Assert.Equal(leaderId, (await accounts.GetAsync(linked.Id, CancellationToken.None)).LeaderId);

        var resolver = scope.ServiceProvider.GetRequiredService<RecipientResolver>();
        Assert.Equal([linked.Id], (await resolver.ResolveAsync($"leader:{leaderId}", CancellationToken.None)).Select(r => r.UserId));
        Assert.Equal(new[] { linked.Id, other.Id }.Order(StringComparer.Ordinal), (await resolver.ResolveAsync($"leader:{Guid.NewGuid()}", CancellationToken.None)).Select(r => r.UserId));
    }
}
