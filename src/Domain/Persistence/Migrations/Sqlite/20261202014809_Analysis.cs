using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liaison.Domain.Persistence.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 8000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "analysis_decisions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    suggestion_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    proposed_unit_ids = table.Column<string>(type: "TEXT", nullable: false),
                    proposed_field = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    chosen_unit_ids = table.Column<string>(type: "TEXT", nullable: false),
                    chosen_field = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    first_proposal_kept = table.Column<bool>(type: "INTEGER", nullable: false),
                    chosen_in_top_three = table.Column<bool>(type: "INTEGER", nullable: false),
                    field_kept = table.Column<bool>(type: "INTEGER", nullable: false),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: false),
                    decided_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
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
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    word = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    added_at = table.Column<long>(type: "INTEGER", nullable: false),
                    added_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_analysis_dictionary", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "analysis_fields",
                columns: table => new
                {
                    code = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    english_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    keywords = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    sort_order = table.Column<int>(type: "INTEGER", nullable: false),
                    active = table.Column<bool>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
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

            Liaison.Domain.Analysis.AnalysisMigrationData.Seed(migrationBuilder, Liaison.Domain.Persistence.DatabaseProvider.Sqlite);
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
