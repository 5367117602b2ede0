using System;
using System.IO;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>
/// The documented development policy (classes for the development devices and the quarantine
/// class), embedded in the gateway and written where the policy file should be when a laptop
/// run finds none. Never used by a gateway configured for production: there a missing policy
/// file stops the start.
/// </summary>
public static class DevelopmentPolicy
{
    private const string ResourceName = "IoTSec.Gateway.Core.Policy.DevelopmentPolicy.yaml";

    /// <summary>The policy's bytes.</summary>
    public static byte[] Bytes()
    {
        using var stream = typeof(DevelopmentPolicy).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("the development policy is not embedded in this build");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Writes the policy to <paramref name="path"/> (0600) unless a file is there already; true when it wrote it.</summary>
    public static bool WriteIfMissing(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(path, options);
            stream.Write(Bytes());
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process wrote it first: theirs stands.
            return false;
        }
    }
}
