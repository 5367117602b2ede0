using System;
using System.IO;
using Spectre.Console;

namespace IoTSec.Cli.Ceremony;

/// <summary>
/// The root key's passphrase: the first line of <c>--passphrase-file</c> (as OpenSSL's
/// <c>-passin file:</c> reads it), or typed at a terminal, twice when a new key is made.
/// </summary>
internal static class PassphraseSource
{
    /// <summary>Shortest passphrase accepted for a new root key.</summary>
    public const int MinLength = 12;

    /// <summary>A passphrase getter: <c>forNewKey</c> asks for confirmation and enforces <see cref="MinLength"/>.</summary>
    public static Func<bool, string> From(FileInfo? file, string keyName = "root key") => forNewKey =>
    {
        var passphrase = file is not null ? ReadFile(file) : Prompt(forNewKey, keyName);
        if (forNewKey && passphrase.Length < MinLength)
        {
            throw new CliError($"the passphrase of a {keyName} must be at least {MinLength} characters");
        }

        if (passphrase.Length == 0)
        {
            throw new CliError("the passphrase is empty");
        }

        return passphrase;
    };

    private static string ReadFile(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliError($"passphrase file '{file.FullName}' does not exist");
        }

        using var reader = file.OpenText();
        return reader.ReadLine() ?? string.Empty;
    }

    private static string Prompt(bool forNewKey, string keyName)
    {
        if (!CliConsole.IsInteractive)
        {
            throw new CliError("no passphrase: give --passphrase-file, or run at a terminal to type it");
        }

        var first = CliConsole.Out.Prompt(new TextPrompt<string>(forNewKey ? $"New {keyName} passphrase:" : $"{char.ToUpperInvariant(keyName[0])}{keyName[1..]} passphrase:").Secret());
        if (forNewKey)
        {
            var again = CliConsole.Out.Prompt(new TextPrompt<string>("Repeat the passphrase:").Secret());
            if (!string.Equals(first, again, StringComparison.Ordinal))
            {
                throw new CliError("the two passphrases differ");
            }
        }

        return first;
    }
}
