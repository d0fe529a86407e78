using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Liaison.Domain.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SuggestionDomain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    actor_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ip_address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    action = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    subject_type = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    subject_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    suggestion_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    detail = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "calendar_days",
                columns: table => new
                {
                    date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_calendar_days", x => x.date);
                });

            migrationBuilder.CreateTable(
                name: "committee_members",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_committee_members", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "deputy_groups",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deputy_groups", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "handling_units",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    parent_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    head_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    head_user_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_handling_units", x => x.id);
                    table.ForeignKey(
                        name: "fk_handling_units_handling_units_parent_id",
                        column: x => x.parent_id,
                        principalTable: "handling_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "leaders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_leaders", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "special_committees",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    fields = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_special_committees", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    address = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    public_code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "suggestion_number_counters",
                columns: table => new
                {
                    term = table.Column<int>(type: "INTEGER", nullable: false),
                    year = table.Column<int>(type: "INTEGER", nullable: false),
                    last = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suggestion_number_counters", x => new { x.term, x.year });
                });

            migrationBuilder.CreateTable(
                name: "deputies",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    level = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    term = table.Column<int>(type: "INTEGER", nullable: false),
                    deputy_group_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    station_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    public_code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    contact_phone = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    contact_email = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    contact_address = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deputies", x => x.id);
                    table.ForeignKey(
                        name: "fk_deputies_deputy_groups_deputy_group_id",
                        column: x => x.deputy_group_id,
                        principalTable: "deputy_groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_deputies_stations_station_id",
                        column: x => x.station_id,
                        principalTable: "stations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "committee_member_deputies",
                columns: table => new
                {
                    committee_member_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    deputy_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_committee_member_deputies", x => new { x.committee_member_id, x.deputy_id });
                    table.ForeignKey(
                        name: "fk_committee_member_deputies_committee_members_committee_member_id",
                        column: x => x.committee_member_id,
                        principalTable: "committee_members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_committee_member_deputies_deputies_deputy_id",
                        column: x => x.deputy_id,
                        principalTable: "deputies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "suggestions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    term = table.Column<int>(type: "INTEGER", nullable: false),
                    year = table.Column<int>(type: "INTEGER", nullable: false),
                    sequence = table.Column<int>(type: "INTEGER", nullable: true),
                    title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    text = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    field = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    source = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    lead_deputy_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    submitted_at = table.Column<long>(type: "INTEGER", nullable: false),
                    received_at = table.Column<long>(type: "INTEGER", nullable: true),
                    turn_away_reason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    turn_away_note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    is_key = table.Column<bool>(type: "INTEGER", nullable: false),
                    leading_leader_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    supervising_leader_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    assignment_mode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    assigned_at = table.Column<long>(type: "INTEGER", nullable: true),
                    source_opinion_id = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suggestions", x => x.id);
                    table.ForeignKey(
                        name: "fk_suggestions_deputies_lead_deputy_id",
                        column: x => x.lead_deputy_id,
                        principalTable: "deputies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_suggestions_leaders_leading_leader_id",
                        column: x => x.leading_leader_id,
                        principalTable: "leaders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_suggestions_leaders_supervising_leader_id",
                        column: x => x.supervising_leader_id,
                        principalTable: "leaders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "public_opinions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    citizen_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    citizen_contact_phone = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    citizen_contact_email = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    citizen_contact_address = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    channel = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    station_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    deputy_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    content = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    answer = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    answered_at = table.Column<long>(type: "INTEGER", nullable: true),
                    forwarded_to_unit_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    forwarded_at = table.Column<long>(type: "INTEGER", nullable: true),
                    due_at = table.Column<long>(type: "INTEGER", nullable: true),
                    unit_answer = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    unit_answered_at = table.Column<long>(type: "INTEGER", nullable: true),
                    suggestion_id = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_public_opinions", x => x.id);
                    table.ForeignKey(
                        name: "fk_public_opinions_deputies_deputy_id",
                        column: x => x.deputy_id,
                        principalTable: "deputies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_public_opinions_handling_units_forwarded_to_unit_id",
                        column: x => x.forwarded_to_unit_id,
                        principalTable: "handling_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_public_opinions_stations_station_id",
                        column: x => x.station_id,
                        principalTable: "stations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_public_opinions_suggestions_suggestion_id",
                        column: x => x.suggestion_id,
                        principalTable: "suggestions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "suggestion_co_signers",
                columns: table => new
                {
                    suggestion_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    deputy_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suggestion_co_signers", x => new { x.suggestion_id, x.deputy_id });
                    table.ForeignKey(
                        name: "fk_suggestion_co_signers_deputies_deputy_id",
                        column: x => x.deputy_id,
                        principalTable: "deputies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_suggestion_co_signers_suggestions_suggestion_id",
                        column: x => x.suggestion_id,
                        principalTable: "suggestions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "suggestion_links",
                columns: table => new
                {
                    primary_suggestion_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    linked_suggestion_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    linked_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suggestion_links", x => new { x.primary_suggestion_id, x.linked_suggestion_id });
                    table.ForeignKey(
                        name: "fk_suggestion_links_suggestions_linked_suggestion_id",
                        column: x => x.linked_suggestion_id,
                        principalTable: "suggestions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_suggestion_links_suggestions_primary_suggestion_id",
                        column: x => x.primary_suggestion_id,
                        principalTable: "suggestions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "unit_tasks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    suggestion_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    unit_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    role = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    assigned_at = table.Column<long>(type: "INTEGER", nullable: false),
                    return_deadline = table.Column<long>(type: "INTEGER", nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    original_due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    latest_due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    signed_for_at = table.Column<long>(type: "INTEGER", nullable: true),
                    signed_for_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    returned_at = table.Column<long>(type: "INTEGER", nullable: true),
                    return_reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    co_opinion = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    completed_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_unit_tasks", x => x.id);
                    table.ForeignKey(
                        name: "fk_unit_tasks_handling_units_unit_id",
                        column: x => x.unit_id,
                        principalTable: "handling_units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_unit_tasks_suggestions_suggestion_id",
                        column: x => x.suggestion_id,
                        principalTable: "suggestions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "consultations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    task_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    suggestion_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    unit_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    method = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    stage = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    participants = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    notes = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consultations", x => x.id);
                    table.ForeignKey(
                        name: "fk_consultations_unit_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "unit_tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "extension_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    task_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    suggestion_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    requested_at = table.Column<long>(type: "INTEGER", nullable: false),
                    requested_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    previous_due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    requested_due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    explanation_to_deputy = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: true),
                    decided_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    decision_note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_extension_requests", x => x.id);
                    table.ForeignKey(
                        name: "fk_extension_requests_unit_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "unit_tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "replies",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    task_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    suggestion_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    unit_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    round = table.Column<int>(type: "INTEGER", nullable: false),
                    category = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    text = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    public_interest = table.Column<bool>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    drafted_at = table.Column<long>(type: "INTEGER", nullable: false),
                    drafted_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    approved_at = table.Column<long>(type: "INTEGER", nullable: true),
                    approved_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    due_at = table.Column<long>(type: "INTEGER", nullable: true),
                    on_time = table.Column<bool>(type: "INTEGER", nullable: true),
                    publish_due_at = table.Column<long>(type: "INTEGER", nullable: true),
                    published_at = table.Column<long>(type: "INTEGER", nullable: true),
                    follow_up_open = table.Column<bool>(type: "INTEGER", nullable: false),
                    solved_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_replies", x => x.id);
                    table.ForeignKey(
                        name: "fk_replies_unit_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "unit_tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "evaluations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    reply_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    suggestion_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    deputy_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    result = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    comment = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_evaluations", x => x.id);
                    table.ForeignKey(
                        name: "fk_evaluations_deputies_deputy_id",
                        column: x => x.deputy_id,
                        principalTable: "deputies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_evaluations_replies_reply_id",
                        column: x => x.reply_id,
                        principalTable: "replies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "follow_ups",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    reply_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    suggestion_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    solved = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_follow_ups", x => x.id);
                    table.ForeignKey(
                        name: "fk_follow_ups_replies_reply_id",
                        column: x => x.reply_id,
                        principalTable: "replies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "calendar_days",
                columns: new[] { "date", "kind", "name" },
                values: new object[,]
                {
                    { new DateOnly(2026, 1, 1), "Holiday", "元旦 New Year" },
                    { new DateOnly(2026, 1, 2), "Holiday", "元旦 New Year" },
                    { new DateOnly(2026, 1, 3), "Holiday", "元旦 New Year" },
                    { new DateOnly(2026, 1, 4), "Workday", "元旦调休 New Year make-up" },
                    { new DateOnly(2026, 2, 14), "Workday", "春节调休 Spring Festival make-up" },
                    { new DateOnly(2026, 2, 15), "Holiday", "春节 Spring Festival" },
                    { new DateOnly(2026, 2, 16), "Holiday", "春节 Spring Festival" },
                    { new DateOnly(2026, 2, 17), "Holiday", "春节 Spring Festival" },
                    { new DateOnly(2026, 2, 18), "Holiday", "春节 Spring Festival" },
                    { new DateOnly(2026, 2, 19), "Holiday", "春节 Spring Festival" },
                    { new DateOnly(2026, 2, 20), "Holiday", "春节 Spring Festival" },
                    { new DateOnly(2026, 2, 21), "Holiday", "春节 Spring Festival" },
                    { new DateOnly(2026, 2, 22), "Holiday", "春节 Spring Festival" },
                    { new DateOnly(2026, 2, 23), "Holiday", "春节 Spring Festival" },
                    { new DateOnly(2026, 2, 28), "Workday", "春节调休 Spring Festival make-up" },
                    { new DateOnly(2026, 4, 4), "Holiday", "清明节 Qingming" },
                    { new DateOnly(2026, 4, 5), "Holiday", "清明节 Qingming" },
                    { new DateOnly(2026, 4, 6), "Holiday", "清明节 Qingming" },
                    { new DateOnly(2026, 5, 1), "Holiday", "劳动节 Labour Day" },
                    { new DateOnly(2026, 5, 2), "Holiday", "劳动节 Labour Day" },
                    { new DateOnly(2026, 5, 3), "Holiday", "劳动节 Labour Day" },
                    { new DateOnly(2026, 5, 4), "Holiday", "劳动节 Labour Day" },
                    { new DateOnly(2026, 5, 5), "Holiday", "劳动节 Labour Day" },
                    { new DateOnly(2026, 5, 9), "Workday", "劳动节调休 Labour Day make-up" },
                    { new DateOnly(2026, 6, 19), "Holiday", "端午节 Dragon Boat" },
                    { new DateOnly(2026, 6, 20), "Holiday", "端午节 Dragon Boat" },
                    { new DateOnly(2026, 6, 21), "Holiday", "端午节 Dragon Boat" },
                    { new DateOnly(2026, 9, 20), "Workday", "国庆节调休 National Day make-up" },
                    { new DateOnly(2026, 9, 25), "Holiday", "中秋节 Mid-Autumn" },
                    { new DateOnly(2026, 9, 26), "Holiday", "中秋节 Mid-Autumn" },
                    { new DateOnly(2026, 9, 27), "Holiday", "中秋节 Mid-Autumn" },
                    { new DateOnly(2026, 10, 1), "Holiday", "国庆节 National Day" },
                    { new DateOnly(2026, 10, 2), "Holiday", "国庆节 National Day" },
                    { new DateOnly(2026, 10, 3), "Holiday", "国庆节 National Day" },
                    { new DateOnly(2026, 10, 4), "Holiday", "国庆节 National Day" },
                    { new DateOnly(2026, 10, 5), "Holiday", "国庆节 National Day" },
                    { new DateOnly(2026, 10, 6), "Holiday", "国庆节 National Day" },
                    { new DateOnly(2026, 10, 7), "Holiday", "国庆节 National Day" },
                    { new DateOnly(2026, 10, 10), "Workday", "国庆节调休 National Day make-up" }
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_at",
                table: "audit_entries",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_subject_type_subject_id_at",
                table: "audit_entries",
                columns: new[] { "subject_type", "subject_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_suggestion_id_at",
                table: "audit_entries",
                columns: new[] { "suggestion_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_committee_member_deputies_deputy_id",
                table: "committee_member_deputies",
                column: "deputy_id");

            migrationBuilder.CreateIndex(
                name: "ix_consultations_suggestion_id_at",
                table: "consultations",
                columns: new[] { "suggestion_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_consultations_task_id",
                table: "consultations",
                column: "task_id");

            migrationBuilder.CreateIndex(
                name: "ix_deputies_deputy_group_id",
                table: "deputies",
                column: "deputy_group_id");

            migrationBuilder.CreateIndex(
                name: "ix_deputies_public_code",
                table: "deputies",
                column: "public_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_deputies_station_id",
                table: "deputies",
                column: "station_id");

            migrationBuilder.CreateIndex(
                name: "ix_evaluations_at",
                table: "evaluations",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_evaluations_deputy_id",
                table: "evaluations",
                column: "deputy_id");

            migrationBuilder.CreateIndex(
                name: "ix_evaluations_reply_id_deputy_id",
                table: "evaluations",
                columns: new[] { "reply_id", "deputy_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_evaluations_suggestion_id",
                table: "evaluations",
                column: "suggestion_id");

            migrationBuilder.CreateIndex(
                name: "ix_extension_requests_suggestion_id",
                table: "extension_requests",
                column: "suggestion_id");

            migrationBuilder.CreateIndex(
                name: "ix_extension_requests_task_id_status",
                table: "extension_requests",
                columns: new[] { "task_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_follow_ups_reply_id",
                table: "follow_ups",
                column: "reply_id");

            migrationBuilder.CreateIndex(
                name: "ix_handling_units_parent_id",
                table: "handling_units",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_public_opinions_deputy_id_status",
                table: "public_opinions",
                columns: new[] { "deputy_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_public_opinions_forwarded_to_unit_id_status_due_at",
                table: "public_opinions",
                columns: new[] { "forwarded_to_unit_id", "status", "due_at" });

            migrationBuilder.CreateIndex(
                name: "ix_public_opinions_station_id",
                table: "public_opinions",
                column: "station_id");

            migrationBuilder.CreateIndex(
                name: "ix_public_opinions_suggestion_id",
                table: "public_opinions",
                column: "suggestion_id");

            migrationBuilder.CreateIndex(
                name: "ix_replies_published_at_publish_due_at",
                table: "replies",
                columns: new[] { "published_at", "publish_due_at" });

            migrationBuilder.CreateIndex(
                name: "ix_replies_status_sent_at",
                table: "replies",
                columns: new[] { "status", "sent_at" });

            migrationBuilder.CreateIndex(
                name: "ix_replies_suggestion_id",
                table: "replies",
                column: "suggestion_id");

            migrationBuilder.CreateIndex(
                name: "ix_replies_task_id",
                table: "replies",
                column: "task_id");

            migrationBuilder.CreateIndex(
                name: "ix_stations_public_code",
                table: "stations",
                column: "public_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_suggestion_co_signers_deputy_id",
                table: "suggestion_co_signers",
                column: "deputy_id");

            migrationBuilder.CreateIndex(
                name: "ix_suggestion_links_linked_suggestion_id",
                table: "suggestion_links",
                column: "linked_suggestion_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_suggestions_lead_deputy_id",
                table: "suggestions",
                column: "lead_deputy_id");

            migrationBuilder.CreateIndex(
                name: "ix_suggestions_leading_leader_id",
                table: "suggestions",
                column: "leading_leader_id");

            migrationBuilder.CreateIndex(
                name: "ix_suggestions_status_assigned_at",
                table: "suggestions",
                columns: new[] { "status", "assigned_at" });

            migrationBuilder.CreateIndex(
                name: "ix_suggestions_supervising_leader_id",
                table: "suggestions",
                column: "supervising_leader_id");

            migrationBuilder.CreateIndex(
                name: "ix_suggestions_term_year_sequence",
                table: "suggestions",
                columns: new[] { "term", "year", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_unit_tasks_status_due_at",
                table: "unit_tasks",
                columns: new[] { "status", "due_at" });

            migrationBuilder.CreateIndex(
                name: "ix_unit_tasks_suggestion_id",
                table: "unit_tasks",
                column: "suggestion_id");

            migrationBuilder.CreateIndex(
                name: "ix_unit_tasks_unit_id_status_due_at",
                table: "unit_tasks",
                columns: new[] { "unit_id", "status", "due_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropTable(
                name: "calendar_days");

            migrationBuilder.DropTable(
                name: "committee_member_deputies");

            migrationBuilder.DropTable(
                name: "consultations");

            migrationBuilder.DropTable(
                name: "evaluations");

            migrationBuilder.DropTable(
                name: "extension_requests");

            migrationBuilder.DropTable(
                name: "follow_ups");

            migrationBuilder.DropTable(
                name: "public_opinions");

            migrationBuilder.DropTable(
                name: "special_committees");

            migrationBuilder.DropTable(
                name: "suggestion_co_signers");

            migrationBuilder.DropTable(
                name: "suggestion_links");

            migrationBuilder.DropTable(
                name: "suggestion_number_counters");

            migrationBuilder.DropTable(
                name: "committee_members");

            migrationBuilder.DropTable(
                name: "replies");

            migrationBuilder.DropTable(
                name: "unit_tasks");

            migrationBuilder.DropTable(
                name: "handling_units");

            migrationBuilder.DropTable(
                name: "suggestions");

            migrationBuilder.DropTable(
                name: "deputies");

            migrationBuilder.DropTable(
                name: "leaders");

            migrationBuilder.DropTable(
                name: "deputy_groups");

            migrationBuilder.DropTable(
                name: "stations");
        }
    }
}
