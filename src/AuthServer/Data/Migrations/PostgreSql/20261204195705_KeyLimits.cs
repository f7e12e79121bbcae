using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthServer.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class KeyLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "AllowedAddresses",
                table: "ApiKeys",
                type: "text[]",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TokensPerMinute",
                table: "ApiKeys",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AllowedAddresses",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "TokensPerMinute",
                table: "ApiKeys");
        }
    }
}
