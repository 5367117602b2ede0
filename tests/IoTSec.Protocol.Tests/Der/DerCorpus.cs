using System;
using System.IO;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>The seed files of tests/IoTSec.Fuzz/corpus/der, copied next to the test assembly.</summary>
internal static class DerCorpus
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "corpus", "der");

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Directory, name));

    /// <summary>The well-formed certificates among the seeds.</summary>
    public static readonly string[] ValidSeeds =
    [
        "seed-ecdsa-p256-device.bin",
        "seed-rsa2048-selfsigned.bin",
        "seed-ecdsa-no-cn-no-expiry.bin",
    ];
}
