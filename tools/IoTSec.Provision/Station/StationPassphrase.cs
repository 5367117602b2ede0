using System;
using System.IO;

namespace IoTSec.Provision.Station;

/// <summary>
/// Where the station key's passphrase comes from: the first line of a file (a tmpfs the line
/// controller fills) or the IOTSEC_STATION_PASSPHRASE environment variable. Never a command-line
/// argument, which other users can read from the process table.
/// </summary>
public static class StationPassphrase
{
    /// <summary>The environment variable consulted when no file is given.</summary>
    public const string EnvironmentVariable = "IOTSEC_STATION_PASSPHRASE";

    /// <summary>Reads the passphrase.</summary>
    /// <exception cref="ProvisionException"><see cref="ExitCode.BadInput"/> when neither source gives one.</exception>
    public static string Read(FileInfo? file, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (file is not null)
        {
            try
            {
                using var reader = file.OpenText();
                string? line = reader.ReadLine();
                if (string.IsNullOrEmpty(line))
                {
                    throw new ProvisionException(ExitCode.BadInput, $"passphrase file '{file.FullName}' is empty");
                }

                return line;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ProvisionException(ExitCode.BadInput, $"cannot read passphrase file '{file.FullName}': {e.Message}", e);
            }
        }

        string? value = environment(EnvironmentVariable);
        return string.IsNullOrEmpty(value)
            ? throw new ProvisionException(ExitCode.BadInput, $"the station key's passphrase is needed: give --station-passphrase-file or set {EnvironmentVariable}")
            : value;
    }
}
