using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Liaison.Workflows.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ChildWorkflows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "parent_bookmark_id",
                table: "wf_instances",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "parent_instance_id",
                table: "wf_instances",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_wf_instances_parent_bookmark_id",
                table: "wf_instances",
                column: "parent_bookmark_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_wf_instances_parent_bookmark_id",
                table: "wf_instances");

            migrationBuilder.DropColumn(
                name: "parent_bookmark_id",
                table: "wf_instances");

            migrationBuilder.DropColumn(
                name: "parent_instance_id",
                table: "wf_instances");
        }
    }
}
