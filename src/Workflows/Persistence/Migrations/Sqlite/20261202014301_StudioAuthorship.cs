using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liaison.Workflows.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StudioAuthorship : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "publish_note",
                table: "wf_definitions",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "published_by",
                table: "wf_definitions",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "updated_at",
                table: "wf_definitions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "updated_by",
                table: "wf_definitions",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "publish_note",
                table: "wf_definitions");

            migrationBuilder.DropColumn(
                name: "published_by",
                table: "wf_definitions");

            migrationBuilder.DropColumn(
                name: "updated_at",
                table: "wf_definitions");

            migrationBuilder.DropColumn(
                name: "updated_by",
                table: "wf_definitions");
        }
    }
}
