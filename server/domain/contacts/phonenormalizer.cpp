// SPDX-License-Identifier: MIT
#include "phonenormalizer.h"

#include <phonenumbers/phonenumberutil.h>

#include <QRegularExpression>

using namespace Qt::StringLiterals;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// libphonenumber pulls a number out of any text ("call whatsapp:+1 415…" parses), so the input
// is held to the characters people write numbers with before it gets there.
bool looksLikePhoneNumber(const QString &input)
{
    static const QRegularExpression pattern(u"^\\+?[0-9 ()./\\-]{2,40}$"_s);
    static const QRegularExpression digit(u"[0-9]"_s);
    return pattern.match(input).hasMatch() && input.count(digit) >= 3;
}

} // namespace

std::optional<QString> PhoneNormalizer::toE164(const QString &input, const QString &defaultRegion)
{
    const QString trimmed = input.trimmed();
    if (!looksLikePhoneNumber(trimmed)) {
        return std::nullopt;
    }
    // PhoneNumberUtil is a thread-safe singleton: Parse and Format are const.
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    const std::string region = defaultRegion.toUpper().toStdString();
    if (util->Parse(trimmed.toStdString(), region, &number) != PhoneNumberUtil::NO_PARSING_ERROR
        || number.has_extension() || !util->IsValidNumber(number)) {
        return std::nullopt;
    }
    std::string e164;
    util->Format(number, PhoneNumberUtil::E164, &e164);
    return QString::fromStdString(e164);
}

bool PhoneNormalizer::isSupportedRegion(const QString &region)
{
    if (region.size() != 2) {
        return false;
    }
    // 0 is libphonenumber's answer for a region it has no metadata for.
    return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(region.toUpper().toStdString())
        != 0;
}
