using System;

namespace IoTSec.Gateway.Configuration;

/// <summary>
/// The gateway's YAML configuration file cannot be read: a syntax error, a duplicate key, a
/// structure configuration cannot hold. The message starts with <c>FILE:LINE:</c> so an
/// operator's editor jumps to it.
/// </summary>
public sealed class YamlConfigurationException : Exception
{
    /// <summary>A problem at <paramref name="path"/>:<paramref name="line"/> (0: the whole file).</summary>
    public YamlConfigurationException(string path, long line, string problem)
        : base(line > 0 ? $"{path}:{line}: {problem}" : $"{path}: {problem}")
    {
        Path = path;
        Line = line;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The 1-based line of the problem, 0 when it concerns the whole file.</summary>
    public long Line { get; }
}
