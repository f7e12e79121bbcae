using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthServer.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class DirectKeyUse : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "DirectUse",
                table: "ApiKeys",
                type: "bit",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "SecretHash",
                table: "ApiKeys",
                type: "nvarchar(60)",
                maxLength: 60,
                nullable: true);

            // Keys made before this migration: their secret's hash is on their credentials row (revoked keys have none).
            migrationBuilder.Sql("""
                UPDATE [ApiKeys] SET [SecretHash] = (SELECT a.[ClientSecret] FROM [OpenIddictApplications] a WHERE a.[ClientId] = [ApiKeys].[Id] AND a.[ClientSecret] LIKE 'sha256:%') WHERE [RevokedAt] IS NULL;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_SecretHash",
                table: "ApiKeys",
                column: "SecretHash",
                unique: true,
                filter: "[SecretHash] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_SecretHash",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "DirectUse",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "SecretHash",
                table: "ApiKeys");
        }
    }
}
