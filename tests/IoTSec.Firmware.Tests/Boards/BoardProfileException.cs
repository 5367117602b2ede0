using System;

namespace IoTSec.Firmware.Tests.Boards;

/// <summary>A board profile that does not parse or breaks the schema; names the file and the key.</summary>
public sealed class BoardProfileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BoardProfileException(string file, string key, string message)
        : base($"{file}: {key}: {message}")
    {
        File = file;
        Key = key;
    }

    /// <summary>The profile file.</summary>
    public string File { get; }

    /// <summary>The JSON pointer of the offending key ("" for the whole document).</summary>
    public string Key { get; }
}
