using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liaison.Domain.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Analysis : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "responsibilities",
                table: "handling_units",
                type: "character varying(8000)",
                maxLength: 8000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "analysis_decisions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    suggestion_id = table.Column<Guid>(type: "uuid", nullable: false),
                    proposed_unit_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    proposed_field = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    chosen_unit_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    chosen_field = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    first_proposal_kept = table.Column<bool>(type: "boolean", nullable: false),
                    chosen_in_top_three = table.Column<bool>(type: "boolean", nullable: false),
                    field_kept = table.Column<bool>(type: "boolean", nullable: false),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_analysis_decisions", x => x.id);
                    table.ForeignKey(
                        name: "fk_analysis_decisions_suggestions_suggestion_id",
                        column: x => x.suggestion_id,
                        principalTable: "suggestions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "analysis_dictionary",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    word = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    added_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_analysis_dictionary", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "analysis_fields",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    english_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    keywords = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    sort_order = table.Column<int>(type: "integer", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_analysis_fields", x => x.code);
                });

            migrationBuilder.CreateIndex(
                name: "ix_analysis_decisions_decided_at",
                table: "analysis_decisions",
                column: "decided_at");

            migrationBuilder.CreateIndex(
                name: "ix_analysis_decisions_suggestion_id",
                table: "analysis_decisions",
                column: "suggestion_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_analysis_dictionary_word_kind",
                table: "analysis_dictionary",
                columns: new[] { "word", "kind" },
                unique: true);

            Liaison.Domain.Analysis.AnalysisMigrationData.Seed(migrationBuilder, Liaison.Domain.Persistence.DatabaseProvider.PostgreSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "analysis_decisions");

            migrationBuilder.DropTable(
                name: "analysis_dictionary");

            migrationBuilder.DropTable(
                name: "analysis_fields");

            migrationBuilder.DropColumn(
                name: "responsibilities",
                table: "handling_units");
        }
    }
}
