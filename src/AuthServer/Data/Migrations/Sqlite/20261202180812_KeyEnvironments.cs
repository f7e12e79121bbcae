using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthServer.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KeyEnvironments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Every key that exists already is a live key: that is what it was used as.
            migrationBuilder.AddColumn<string>(
                name: "Environment",
                table: "ApiKeys",
                type: "TEXT",
                maxLength: 4,
                nullable: false,
                defaultValue: "live");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Environment",
                table: "ApiKeys");
        }
    }
}
