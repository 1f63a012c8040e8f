"""Thai and Persian names for the default customer journey stages and channels
(portal/migrations/0005_default_vocabularies.py). Only names still as shipped and not
yet translated are filled in: a programme admin's own names and translations stay."""

from django.db import migrations

NAMES = {
    "journeystage": {
        "Discover": ("ค้นพบ", "آشنایی"),
        "Choose": ("เลือก", "انتخاب"),
        "Buy": ("ซื้อ", "خرید"),
        "Get started": ("เริ่มต้นใช้งาน", "شروع"),
        "Use": ("ใช้งาน", "استفاده"),
        "Get help": ("ขอความช่วยเหลือ", "دریافت کمک"),
        "Renew or leave": ("ต่ออายุหรือยกเลิก", "تمدید یا ترک"),
    },
    "channel": {
        "Branch or store": ("สาขาหรือร้านค้า", "شعبه یا فروشگاه"),
        "Chat": ("แชต", "گفتگوی آنلاین"),
        "E-mail": ("อีเมล", "ایمیل"),
        "Field visit": ("การเยี่ยมพื้นที่", "بازدید حضوری"),
        "Letter": ("จดหมาย", "نامه"),
        "Mobile app": ("แอปมือถือ", "اپلیکیشن موبایل"),
        "Phone": ("โทรศัพท์", "تلفن"),
        "Social media": ("โซเชียลมีเดีย", "شبکه‌های اجتماعی"),
        "Website": ("เว็บไซต์", "وب‌سایت"),
    },
}


def translate(apps, schema_editor):
    for model_name, names in NAMES.items():
        model = apps.get_model("people", model_name)
        for english, (thai, persian) in names.items():
            model.objects.filter(name_en=english, name_th__isnull=True).update(name_th=thai)
            model.objects.filter(name_en=english, name_fa__isnull=True).update(name_fa=persian)


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0004_reference_data_translations"),
        ("portal", "0005_default_vocabularies"),
    ]

    operations = [migrations.RunPython(translate, migrations.RunPython.noop)]
