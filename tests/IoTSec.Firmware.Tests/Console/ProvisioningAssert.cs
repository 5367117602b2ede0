using IoTSec.Firmware.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Console;

internal static class ProvisioningAssert
{
    /// <summary>Every item of the loaded identity is the set's: nothing of another set mixed in.</summary>
    public static void IdentityIs(ProvisioningSet expected, ProvisionedIdentity? actual, string context = "")
    {
        Assert.IsNotNull(actual, "no identity committed " + context);
        Assert.AreEqual(expected.DeviceId, actual.DeviceId, context);
        CollectionAssert.AreEqual(expected.Certificate, actual.BirthCertificate, "birth certificate " + context);
        CollectionAssert.AreEqual(expected.Key, actual.BirthKey, "birth key " + context);
        CollectionAssert.AreEqual(expected.Anchors.Encode(), actual.TrustAnchors.Encode(), "trust anchors " + context);
        CollectionAssert.AreEqual(expected.Configuration.Encode(), actual.Configuration.Encode(), "configuration " + context);
    }
}
