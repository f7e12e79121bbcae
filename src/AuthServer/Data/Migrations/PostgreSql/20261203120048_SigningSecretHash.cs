using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthServer.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class SigningSecretHash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SigningSecretHash",
                table: "PublishableKeys",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_PublishableKeys_SigningSecretHash",
                table: "PublishableKeys",
                column: "SigningSecretHash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PublishableKeys_SigningSecretHash",
                table: "PublishableKeys");

            migrationBuilder.DropColumn(
                name: "SigningSecretHash",
                table: "PublishableKeys");
        }
    }
}
