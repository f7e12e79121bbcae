using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthServer.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KeySecretRoll : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "PreviousSecretEndsAt",
                table: "ApiKeys",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviousSecretHash",
                table: "ApiKeys",
                type: "TEXT",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PreviousSecretLastUsedAt",
                table: "ApiKeys",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SecretRolledAt",
                table: "ApiKeys",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_PreviousSecretHash",
                table: "ApiKeys",
                column: "PreviousSecretHash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_PreviousSecretHash",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "PreviousSecretEndsAt",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "PreviousSecretHash",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "PreviousSecretLastUsedAt",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "SecretRolledAt",
                table: "ApiKeys");
        }
    }
}
