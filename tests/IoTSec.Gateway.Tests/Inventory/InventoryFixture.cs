using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Inventory;

namespace IoTSec.Gateway.Tests.Inventory;

/// <summary>Registers devices whose birth certificates are real certificates from a test "manufacturer" CA.</summary>
internal static class InventoryFixture
{
    /// <summary>Registers <paramref name="deviceIds"/> and returns their birth certificates.</summary>
    public static Dictionary<string, X509Certificate2> RegisterWithBirthCertificates(DeviceInventory inventory, TestCertificates manufacturer, string deviceClass, params string[] deviceIds)
    {
        var births = new Dictionary<string, X509Certificate2>();
        var entries = new List<DeviceImportEntry>();
        foreach (var id in deviceIds)
        {
            var birth = manufacturer.Issue(id);
            births[id] = birth;
            entries.Add(new DeviceImportEntry(id, deviceClass, TestCertificates.Sha256Of(birth)));
        }

        inventory.Register(entries, "test");
        return births;
    }
}
