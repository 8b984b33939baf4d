using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Silo.Hosting;

/// <summary>
/// Keeps ASP.NET Core's data-protection keys (which sign session cookies and sign-in state) in
/// the release database, so a browser signed in through one silo stays signed in on every other.
/// The keys are as safe as the database that holds everything else.
/// </summary>
public sealed class DatabaseKeyRepository(IReleaseDatabase database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM data_protection_keys ORDER BY name;";
        using var reader = command.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read())
        {
            keys.Add(XElement.Parse(reader.GetString(0)));
        }

        return keys;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO data_protection_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING;";
        command.With("name", friendlyName).With("xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }

    public static void AddTo(IServiceCollection services, IReleaseDatabase database)
    {
        services.AddDataProtection().SetApplicationName("orleans-releases");
        services.Configure<KeyManagementOptions>(options => options.XmlRepository = new DatabaseKeyRepository(database));
    }
}
