namespace Liaison.Domain.Common;

/// <summary>A command that checks its own input before the handler touches the database.</summary>
public interface IValidatable
{
    void Validate(Validator v);
}

/// <summary>Collects every problem of one command, so the caller fixes them all at once.</summary>
public sealed class Validator
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public Validator Required(string field, string? value, int maxLength = int.MaxValue)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            _errors.Add(new(field, "is required"));
        }
        else if (value.Length > maxLength)
        {
            _errors.Add(new(field, $"is longer than {maxLength} characters"));
        }
        else
        {
            CleanText(field, value);
        }

        return this;
    }

    /// <summary>No control characters but line breaks and tabs: nobody types them, and PostgreSQL's text cannot store NUL.</summary>
    public Validator CleanText(string field, string? value)
    {
        if (value is not null && value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            _errors.Add(new(field, "contains control characters"));
        }

        return this;
    }

    public Validator MaxLength(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            _errors.Add(new(field, $"is longer than {maxLength} characters"));
        }

        return CleanText(field, value);
    }

    public Validator NotEmpty(string field, Guid value)
    {
        if (value == Guid.Empty)
        {
            _errors.Add(new(field, "is required"));
        }

        return this;
    }

    public Validator Defined<TEnum>(string field, TEnum value)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            _errors.Add(new(field, $"'{value}' is not a valid {typeof(TEnum).Name}"));
        }

        return this;
    }

    public Validator That(bool condition, string field, string message)
    {
        if (!condition)
        {
            _errors.Add(new(field, message));
        }

        return this;
    }

    /// <summary>Runs the command's checks (and the actor's) and throws with every problem found.</summary>
    public static void Ensure(object command)
    {
        var v = new Validator();
        if (command is IAuditedCommand audited)
        {
            v.Required("actor.userId", audited.Actor?.UserId, 200);
        }

        if (command is IValidatable validatable)
        {
            validatable.Validate(v);
        }

        if (v._errors.Count > 0)
        {
            throw new ValidationFailedException(v._errors);
        }
    }
}
