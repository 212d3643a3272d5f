from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    # Marked secret in VIGIL_MODELS: its name is sent when it changes, its value never.
    vault_code = models.CharField(max_length=64)
