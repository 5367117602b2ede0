using System;
using System.IO;

namespace IoTSec.Gateway.Core.Policy;

/// <summary>Loads a policy file from disk: its bytes (bounded), and the JSON schema files it names, relative to its own directory.</summary>
public static class PolicyFile
{
    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    /// <exception cref="PolicyRejectedException">The file is missing, unreadable or invalid; every error is listed.</exception>
    public static PolicyDocument Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            bytes = ReadBounded(full, PolicyParser.MaxFileBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PolicyRejectedException(full, [new PolicyError(0, 0, string.Empty, "cannot read the file: " + e.Message)]);
        }

        var directory = Path.GetDirectoryName(full) ?? ".";
        return PolicyParser.Parse(bytes, full, name => System.Text.Encoding.UTF8.GetString(ReadBounded(Path.Combine(directory, name), PolicyParser.MaxSchemaBytes)));
    }

    private static byte[] ReadBounded(string path, int limit)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length > limit)
        {
            throw new IOException($"{path} is larger than {limit} bytes");
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
