using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Liaison.Workflows.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class JournalKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_wf_journal",
                table: "wf_journal");

            migrationBuilder.DropIndex(
                name: "ix_wf_journal_instance_id_id",
                table: "wf_journal");

            migrationBuilder.AlterColumn<long>(
                name: "id",
                table: "wf_journal",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint")
                .OldAnnotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

            migrationBuilder.AddColumn<long>(
                name: "last_journal_id",
                table: "wf_instances",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Running instances go on numbering after their existing lines (whose ids were global, hence ascending per instance).
            migrationBuilder.Sql("UPDATE wf_instances SET last_journal_id = COALESCE((SELECT MAX(j.id) FROM wf_journal AS j WHERE j.instance_id = wf_instances.id), 0);");

            migrationBuilder.AddPrimaryKey(
                name: "pk_wf_journal",
                table: "wf_journal",
                columns: new[] { "instance_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_wf_journal",
                table: "wf_journal");

            migrationBuilder.DropColumn(
                name: "last_journal_id",
                table: "wf_instances");

            migrationBuilder.AlterColumn<long>(
                name: "id",
                table: "wf_journal",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint")
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

            migrationBuilder.AddPrimaryKey(
                name: "pk_wf_journal",
                table: "wf_journal",
                column: "id");

            migrationBuilder.CreateIndex(
                name: "ix_wf_journal_instance_id_id",
                table: "wf_journal",
                columns: new[] { "instance_id", "id" });
        }
    }
}
