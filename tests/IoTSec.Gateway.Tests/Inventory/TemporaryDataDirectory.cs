using System;
using System.IO;
using IoTSec.Gateway.Core;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Tests.Inventory;

/// <summary>A real data directory under /tmp for one test, removed afterwards.</summary>
internal sealed class TemporaryDataDirectory : IDisposable
{
    public TemporaryDataDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "iotsec-inv-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        Data = new GatewayDataDirectory(Path);
    }

    public string Path { get; }

    public GatewayDataDirectory Data { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string contents)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, contents);
        return path;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
