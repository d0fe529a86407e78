using Liaison.Domain.Audit;
using Liaison.Domain.Common;
using Liaison.Domain.Persistence;
using Liaison.Domain.Rules;
using Mediator;

namespace Liaison.Domain.Settings;

/// <summary>Changes (or creates) a setting; rule values are checked first so a typo cannot break later commands.</summary>
public sealed record ChangeSetting(string Key, string Value, Actor Actor) : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.Required(nameof(Key), Key, 200).MaxLength(nameof(Value), Value, 4000).That(Value is not null, nameof(Value), "is required");
}

public sealed class ChangeSettingHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<ChangeSetting, bool>
{
    public async ValueTask<bool> Handle(ChangeSetting command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        HandlingRules.ValidateSetting(command.Key, command.Value);
        var now = clock.GetUtcNow();
        var setting = await db.Settings.FindAsync([command.Key], cancellationToken);
        var previous = setting?.Value;
        if (setting is null)
        {
            db.Settings.Add(new Setting(command.Key, command.Value, now));
        }
        else
        {
            setting.Change(command.Value, now);
        }

        db.Audit(now, command.Actor, "setting.changed", nameof(Setting), Guid.Empty, null, $"{command.Key}: '{previous}' -> '{command.Value}'");
        await db.CommitAsync(cancellationToken);
        return true;
    }
}
