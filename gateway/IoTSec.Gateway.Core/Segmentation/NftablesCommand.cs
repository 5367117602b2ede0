using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace IoTSec.Gateway.Core.Segmentation;

/// <summary>
/// Runs <c>nft</c> on a rendered ruleset: check (<c>nft -c -f -</c>, the kernel validates the
/// transaction and commits nothing), apply (<c>nft -f -</c>, one atomic transaction: a refused
/// ruleset leaves the old one in force) and show (<c>nft list table inet iotsec</c>). Needs
/// CAP_NET_ADMIN: meant for the privileged helper and the tests, not the daemon itself.
/// </summary>
/// <param name="command">The executable and leading arguments, e.g. <c>["nft"]</c> or <c>["ip", "netns", "exec", "gw", "nft"]</c>.</param>
public sealed class NftablesCommand(IReadOnlyList<string> command)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Plain <c>nft</c> from PATH.</summary>
    public NftablesCommand()
        : this(["nft"])
    {
    }

    /// <summary>Asks the kernel to validate <paramref name="ruleset"/> without applying it.</summary>
    /// <exception cref="NftablesCommandException">The ruleset is refused; the message is nft's.</exception>
    public Task CheckAsync(string ruleset, CancellationToken cancellationToken = default) =>
        RunAsync(["-c", "-f", "-"], ruleset, cancellationToken);

    /// <summary>Replaces table inet iotsec with <paramref name="ruleset"/> in one transaction.</summary>
    /// <exception cref="NftablesCommandException">The ruleset is refused; the previous one stays in force.</exception>
    public Task ApplyAsync(string ruleset, CancellationToken cancellationToken = default) =>
        RunAsync(["-f", "-"], ruleset, cancellationToken);

    /// <summary>The table as the kernel holds it now, or null when it does not exist.</summary>
    public async Task<string?> ShowAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await RunAsync(["list", "table", "inet", NftablesRenderer.TableName], null, cancellationToken).ConfigureAwait(false);
        }
        catch (NftablesCommandException e) when (e.Message.Contains("No such file or directory", StringComparison.Ordinal))
        {
            return null;
        }
    }

    private async Task<string> RunAsync(string[] arguments, string? input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        for (var i = 1; i < command.Count; i++)
        {
            start.ArgumentList.Add(command[i]);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new NftablesCommandException($"{command[0]} did not start");
        }
        catch (Win32Exception e)
        {
            throw new NftablesCommandException($"cannot run {command[0]}: {e.Message}", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token).ConfigureAwait(false);
            }

            process.StandardInput.Close();
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw;
            }

            var stdout = await output.ConfigureAwait(false);
            var stderr = await error.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new NftablesCommandException($"nft {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {stderr.Trim()}");
            }

            return stdout;
        }
    }
}
