using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liaison.Domain.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class CoSignatures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "answered_at",
                table: "suggestion_co_signers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "asked_at",
                table: "suggestion_co_signers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "refusal_reason",
                table: "suggestion_co_signers",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "state",
                table: "suggestion_co_signers",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "Confirmed");

            // Signatures registered before 联名确认 existed stand as given: confirmed when the suggestion was submitted.
            migrationBuilder.Sql(
                "UPDATE suggestion_co_signers SET asked_at = (SELECT s.submitted_at FROM suggestions s WHERE s.id = suggestion_co_signers.suggestion_id), "
                + "answered_at = (SELECT s.submitted_at FROM suggestions s WHERE s.id = suggestion_co_signers.suggestion_id);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "answered_at",
                table: "suggestion_co_signers");

            migrationBuilder.DropColumn(
                name: "asked_at",
                table: "suggestion_co_signers");

            migrationBuilder.DropColumn(
                name: "refusal_reason",
                table: "suggestion_co_signers");

            migrationBuilder.DropColumn(
                name: "state",
                table: "suggestion_co_signers");
        }
    }
}
