"""Anderson Lima sells air conditioning and maintenance (ClimaTec Climatização, Recife)."""

from model import Client, Media, Seller

SELLER = Seller(
    name="Anderson Lima",
    login="anderson",
    phone="+5581991234503",
    aliases=("Anderson Lima", "Anderson ClimaTec"),
    segment="climatização",
    company="ClimaTec Climatização",
)

MEDIA = {
    "orcamento_clinica": Media(
        kind="pdf",
        filename="Orcamento_ClimaTec_Clinica_Sorriso.pdf",
        text="",
        pages=(
            "ClimaTec Climatização - Orçamento nº 0457/2025\n"
            "Cliente: Clínica Sorriso - Dra. Cristina Barros, Boa Viagem, Recife/PE\n"
            "5 x Split Inverter Samsung WindFree 12.000 BTUs - R$ 3.290,00 cada - R$ 16.450,00\n"
            "Instalação de 5 pontos com tubulação de cobre e suportes - R$ 2.500,00\n"
            "Contrato de PMOC por 12 meses com manutenção trimestral - incluso\n"
            "Total: R$ 18.950,00\n"
            "Validade: 10 dias. Prazo de instalação: até 15 dias após a aprovação.",
        ),
    ),
    "tabela_precos": Media(
        kind="xlsx",
        filename="Tabela_Precos_ClimaTec_2026.xlsx",
        text="Modelo;BTUs;À vista no pix (R$);10x no cartão (R$)\n"
        "Midea Xtreme Save Inverter;9000;1899.00;199.90\n"
        "LG Dual Inverter Voice;12000;2599.00;273.60\n"
        "Samsung WindFree;12000;3290.00;346.30\n"
        "LG Dual Inverter Voice;18000;3890.00;409.50\n"
        "Samsung WindFree;24000;4990.00;525.30\n"
        "Instalação padrão (até 3 m de tubulação);-;450.00;-",
    ),
    "jorge_friomax": Media(
        kind="photo",
        text="FRIOMAX REFRIGERAÇÃO\n"
        "ORÇAMENTO Nº 1182\n"
        "Cliente: Jorge\n"
        "2 x Split LG Dual Inverter 12.000 BTUs\n"
        "Valor unitário: R$ 2.389,00\n"
        "Instalação: R$ 450,00 por aparelho\n"
        "Pagamento: pix ou 6x no cartão\n"
        "Validade: 7 dias",
    ),
    "black_friday": Media(
        kind="png",
        filename="Tabela_Black_Friday_ClimaTec.png",
        text="ClimaTec Climatização\n"
        "BLACK FRIDAY 2026\n"
        "Split LG Dual Inverter 12.000 BTUs: R$ 2.199,00 no pix\n"
        "Split Midea Inverter 9.000 BTUs: R$ 1.649,00 no pix\n"
        "Split Samsung WindFree 18.000 BTUs: R$ 3.499,00 no pix\n"
        "Válido até 30/11/2026 ou enquanto durar o estoque",
    ),
    "jorge_prazo": Media(
        kind="audio",
        text="Fala Anderson, o cara da outra loja disse que instala em dois dias. Vocês conseguem "
        "instalar na quarta-feira de manhã?",
    ),
    "priscila_sabado": Media(
        kind="audio",
        text="Oi Anderson, meu marido disse que só fecha se a instalação for no sábado de manhã, porque "
        "ele trabalha a semana toda.",
    ),
    "marina_quarto": Media(
        kind="audio",
        text="Anderson, o quarto tem uns quatorze metros quadrados e bate sol a tarde toda. Eu trabalho "
        "em casa, então preciso de um aparelho silencioso.",
    ),
    "marina_entrada": Media(
        kind="audio",
        text="Eu consigo pagar seiscentos reais de entrada no pix e o resto no cartão, pode ser?",
    ),
}

CLIENTS = [
    Client(
        name="Dra. Cristina Barros",
        phone="+5581988120001",
        platform="ios",
        style="formal",
        pattern="business",
        call="Dra. Cristina",
        outcome="won",
        trend="positive",
        female=True,
        notes="dental clinic; price objection won with the PMOC argument; quote in PDF",
        script="""
== 2025-10-06
c: Boa tarde, Anderson. Aqui é a Dra. Cristina, da Clínica Sorriso. Vocês fizeram a higienização dos nossos aparelhos antigos no ano passado. Agora vamos reformar a clínica e trocar tudo: são 5 salas.
s: Boa tarde, Dra. Cristina! Lembro sim. Posso fazer a visita técnica na quinta, às 15h?
c: Pode ser.
+4d
s: Dra. Cristina, segue o orçamento detalhado.
s: [doc orcamento_clinica]
c: Anderson, recebi. O valor ficou acima do que planejamos. Um concorrente ofereceu os aparelhos sem a manutenção, bem mais barato.
s: Entendo, doutora. Mas o nosso orçamento inclui o contrato de PMOC do primeiro ano, que a Vigilância Sanitária exige de clínicas, com manutenção trimestral. Contratado à parte, o PMOC sai por uns R$ 3.600,00 por ano.
s: E consigo fechar em R$ 18.200,00 no boleto 30/60/90.
c: Com o PMOC incluso faz sentido. Pode fechar nessas condições.
s: Obrigado, doutora! Instalação no sábado, 25/10, para não atrapalhar os atendimentos.
== 2025-10-27
c: Anderson, bom dia. A instalação ficou ótima, nenhum paciente percebeu a obra. Obrigada.
~4 post
== 2026-04-14
s: Dra. Cristina, bom dia! Manutenção trimestral do PMOC agendada para sábado, 18/04, às 8h.
c: Confirmado, obrigada.
~3 post
""",
    ),
    Client(
        name="Jorge Batista",
        phone="+5581997340002",
        platform="android",
        style="informal",
        pattern="evening",
        call="Jorge",
        outcome="won",
        trend="positive",
        notes="sent a photo of a competitor's quote (OCR); deadline question in a voice note",
        script="""
== 2026-04-10
c: fala anderson blz? preciso de 2 ar 12 mil btus pros quartos
s: Fala Jorge, beleza! O LG Dual Inverter 12.000 BTUs sai R$ 2.599,00 cada, e a instalação R$ 450,00 por aparelho.
c: [photo jorge_friomax] olha o orçamento que a outra loja me passou
c: ta mais barato la
s: Vi aqui, Jorge. Eu cubro o preço do aparelho deles e faço a instalação de graça nos dois, com tubulação de cobre e garantia de 1 ano na instalação. Lá eles usam tubulação de alumínio.
c: [audio jorge_prazo]
s: Consigo sim! Quarta, 15/04, às 8h.
c: fechou entao, 10x no cartao
== 2026-04-15
s: Jorge, os técnicos estão saindo pra sua casa agora.
+11h
c: top demais, ta gelando muito 🥶
~5 post
""",
    ),
    Client(
        name="Priscila Souza",
        phone="+5581996650003",
        platform="android",
        style="informal",
        pattern="night",
        call="Priscila",
        outcome="won",
        trend="positive",
        female=True,
        notes="answers only at night; husband decides (voice note: Saturday install); 10x on card",
        script="""
== 2025-12-01
c: oii anderson boa noite! vc tem ar de 9 mil btus? é pro quarto do bebê 👶
s: Boa noite, Priscila! Parabéns! 😊 Tenho o Midea 9.000 BTUs Inverter, silencioso, ótimo pra quarto de bebê: R$ 2.690,00 instalado, ou 10x de R$ 269,00 no cartão.
c: blz vc tem pra entrega rapida? kkkk 😅
s: Tenho em estoque! Instalo ainda essa semana.
c: preciso falar com meu marido primeiro, ele q vai ver a tomada kkk
== 2025-12-09
c: [audio priscila_sabado]
s: Fechado, Priscila! Sábado, 13/12, às 9h. Em 10x no cartão, certo?
c: isso!! 10x 🙏
== 2025-12-13
s: Bom dia, Priscila! Técnico chegando em 15 minutos.
+13h
c: anderson o bebe dormiu a noite toda kkkk obrigadaaa
~4 post
""",
    ),
    Client(
        name="Sr. Antônio Cavalcanti",
        phone="+5581985560004",
        platform="ios",
        style="formal",
        pattern="weekday_morning",
        call="Sr. Antônio",
        outcome="won",
        trend="stable",
        notes="restaurant, repeat buyer (2024); installer no-show and dripping unit resolved; "
        "maintenance booked 2026-10",
        script="""
== 2025-02-17
c: Bom dia, Sr. Anderson. Sou Antônio Cavalcanti, do Restaurante Sabor do Recife. Comprei dois aparelhos com vocês em 2024 e agora preciso climatizar o salão novo: três aparelhos de 24.000 BTUs.
s: Bom dia, Sr. Antônio! Que bom falar com o senhor de novo. Para o salão: 3 x Samsung WindFree 24.000 BTUs, R$ 4.990,00 cada, e instalação de R$ 650,00 por aparelho. Total R$ 16.920,00.
c: À vista há desconto?
s: No pix, 5% de desconto: R$ 16.074,00.
c: Fechado no pix. A instalação precisa ser numa segunda-feira, dia em que o restaurante fecha.
s: Combinado: segunda, 03/03, às 7h.
== 2025-03-03 09:41
c: Sr. Anderson, são 9h40 e o instalador não apareceu. O restaurante abre amanhã.
s: Sr. Antônio, peço mil desculpas. O técnico teve um problema com o carro. Consegui outra equipe, que chega às 11h e termina hoje.
c: Aguardo.
+8h
s: Sr. Antônio, os três aparelhos estão instalados e testados.
== 2025-03-19
c: Sr. Anderson, o aparelho do lado da cozinha está pingando água no salão, em cima de uma mesa.
s: Sr. Antônio, vou mandar o técnico amanhã às 7h30, antes de abrir. Provavelmente é o dreno.
+1d
s: Sr. Antônio, era o caimento do dreno. Corrigido e testado, sem custo. Também deixamos uma bandeja de proteção.
c: Obrigado pela rapidez.
~4 post
== 2026-10-05
c: Bom dia, Sr. Anderson. Está na hora da manutenção dos cinco aparelhos. Qual o valor?
s: Bom dia, Sr. Antônio! Higienização completa dos 5 aparelhos: R$ 1.250,00, ou R$ 1.150,00 no pix.
c: Pode agendar para segunda, dia 19, no pix.
s: Agendado! Segunda, 19/10, às 7h.
""",
    ),
    Client(
        name="Bruna Academia Fit",
        phone="+5581994470005",
        platform="android",
        style="formal",
        pattern="business",
        call="Bruna",
        outcome="lost",
        trend="stable",
        female=True,
        notes="gym; lost on installation deadline to a competitor",
        script="""
== 2025-11-24
c: Bom dia! Sou a Bruna, gerente da Academia Fit Recife. Precisamos de 4 aparelhos de 36.000 BTUs para a sala de musculação antes do verão.
s: Bom dia, Bruna! Para 36.000 BTUs trabalhamos com o piso-teto Midea. São R$ 9.800,00 cada, com instalação. Total R$ 39.200,00.
c: Qual o prazo de entrega e instalação?
s: O fornecedor entrega em 25 dias, e a instalação leva mais 3 dias. Ficaria para a segunda semana de janeiro.
c: Janeiro é tarde demais, nossos alunos já estão reclamando do calor. Outra empresa consegue instalar em 10 dias.
s: Entendo, Bruna. Posso tentar antecipar com outro distribuidor, mas o preço sobe uns 8%.
c: Vou levar as duas opções para o dono e retorno.
+3d
c: Anderson, o dono preferiu fechar com a empresa que instala em 10 dias. Obrigada pela atenção.
s: Entendo, Bruna. Obrigado pela oportunidade! Quando precisarem de manutenção, contem com a gente.
~3 idle
""",
    ),
    Client(
        name="Leandro Pires",
        phone="+5581993380006",
        platform="android",
        style="short",
        pattern="anytime",
        call="Leandro",
        outcome="stale",
        trend="stable",
        notes="asked for the price list (XLSX) and never answered the follow-ups",
        script="""
== 2026-09-29
c: tabela de preço
s: Oi Leandro! Segue nossa tabela de 2026 com todos os modelos. Qual o tamanho do ambiente?
s: [doc tabela_precos]
c: sala 20m2
s: Para 20 m² recomendo 12.000 BTUs, ou 18.000 se bater sol à tarde. Posso agendar uma visita?
~4 cold
""",
    ),
    Client(
        name="Marina Albuquerque",
        phone="+5581992290007",
        platform="ios",
        style="informal",
        pattern="lunch_evening",
        call="Marina",
        outcome="won",
        trend="positive",
        female=True,
        notes="audio-heavy: room size and down payment only in voice notes",
        script="""
== 2026-01-12
c: Oi Anderson! Quero um ar pro meu quarto, vou te explicar por áudio
c: [audio marina_quarto]
s: Oi Marina! Entendi. Com sol à tarde o ideal é 12.000 BTUs. O LG Dual Inverter sai R$ 2.599,00 + R$ 450,00 de instalação.
c: [audio marina_entrada]
s: Pode sim! O restante fica em 6x de R$ 408,17 no cartão, sem juros.
c: fechado!!
s: Instalação na sexta, 16/01, às 14h?
c: perfeito
== 2026-01-16
s: Marina, técnico saindo agora.
+6h
c: amei, ta geladinho ❄️
~5 post
""",
    ),
    Client(
        name="Ricardo Tavares",
        phone="+5581991190008",
        platform="android",
        style="formal",
        pattern="evening",
        call="Ricardo",
        outcome="won",
        trend="negative",
        notes="noise and dripping after install, chargeback threat, evaporator replaced under warranty",
        script="""
== 2026-02-02
c: Boa noite. Quero instalar um ar de 18.000 BTUs na sala. Qual o valor com instalação?
s: Boa noite, Ricardo! LG Dual Inverter 18.000 BTUs: R$ 3.890,00 + R$ 450,00 de instalação, total R$ 4.340,00, em até 10x no cartão.
c: Pode fechar em 10x. Instalação no sábado?
s: Sábado, 07/02, às 9h.
~1 lead
== 2026-02-20
c: Anderson, o ar está fazendo um barulho alto, parece um estalo, principalmente de madrugada.
s: Ricardo, vou mandar o técnico na segunda às 19h para verificar.
+4d
c: O técnico veio, apertou uns parafusos e o barulho continua.
s: Sinto muito, Ricardo. Vou pedir ao fabricante uma avaliação da evaporadora.
+9d
c: Agora além do barulho está pingando água na parede. Comprei um aparelho novo para ter dor de cabeça?
c: Se não resolver essa semana vou pedir o estorno no cartão.
s: Ricardo, a LG autorizou a troca da evaporadora em garantia. A peça chega em até 10 dias.
== 2026-03-16
s: Ricardo, evaporadora nova instalada hoje. Testamos por uma hora: sem barulho e sem pingar.
c: Vamos ver quanto tempo dura.
== 2026-08-10
c: Anderson, o controle remoto parou de funcionar. Vocês vendem outro?
s: Boa noite, Ricardo! Te envio um controle original sem custo, como cortesia.
c: Ok. Obrigado.
~2 idle
""",
    ),
    Client(
        name="Gabriela Moura",
        phone="+5581989980009",
        platform="android",
        style="informal",
        pattern="lunch_evening",
        call="Gabriela",
        outcome="open",
        trend="stable",
        female=True,
        notes="bought in 2025-07, silent 14 months, back in 2026-09 waiting for Black Friday",
        script="""
== 2025-07-07
c: oi anderson! quanto fica a higienização de um split 18 mil? e vcs vendem ar de 18 tbm?
s: Oi Gabriela! Higienização R$ 250,00. E o split 18.000 BTUs Midea Inverter sai R$ 3.590,00 com instalação.
c: faz os dois entao! a higienização do ar da sala e o novo pro quarto de casal
s: Perfeito! Total R$ 3.840,00. Quarta, 09/07, às 14h?
c: fechado, pix
== 2025-07-09
s: Gabriela, serviço concluído!
c: obgg ❤️
~3 idle
== 2026-09-21
c: <deleted>
c: anderson sumi kkk mas voltei! quero outro de 12 mil pro quarto da minha filha
s: Oi Gabriela! Que bom te ver 😊 O LG Dual Inverter 12.000 BTUs está R$ 2.599,00 + R$ 450,00 de instalação. Como você já é cliente, faço a instalação por R$ 300,00.
c: hmm vou esperar a black friday pra ver se baixa kkk
~3 nego
""",
    ),
    Client(
        name="Wellington Síndico Mar Azul",
        phone="+5581988870010",
        platform="ios",
        style="formal",
        pattern="business",
        call="Wellington",
        outcome="stale",
        trend="stable",
        notes="condominium maintenance contract; needs assembly approval; proposal unanswered",
        script="""
== 2026-07-14
c: Bom dia, Anderson. Sou o Wellington, síndico do Condomínio Mar Azul, em Piedade. Precisamos de um contrato de manutenção para os 6 aparelhos do salão de festas e da academia.
s: Bom dia, Wellington! Fazemos contrato de PMOC com manutenção mensal: R$ 690,00 por mês para os 6 aparelhos, com relatório técnico e ART.
c: Obrigado. Qualquer contrato acima de R$ 500,00 por mês precisa ser aprovado em assembleia. A próxima é em agosto.
s: Entendido. Posso preparar uma apresentação para a assembleia, se ajudar.
c: Seria ótimo. Envie por aqui.
+2d
s: Wellington, segue a proposta resumida para a assembleia: PMOC mensal por R$ 690,00, primeira higienização completa sem custo e 10% de desconto em peças.
c: Recebido. Levo para a assembleia de agosto.
~4 cold
""",
    ),
    Client(
        name="Daniela Freire",
        phone="+5581987760011",
        platform="android",
        style="informal",
        pattern="lunch_evening",
        call="Daniela",
        outcome="won",
        trend="positive",
        female=True,
        alias=1,
        notes="Instagram lead, Black Friday price list (PNG), won in November 2026",
        script="""
== 2026-11-10
s: Oi Daniela! Aqui é o Anderson, da ClimaTec. Você pediu informação do ar-condicionado no nosso Instagram. Segue a tabela da Black Friday:
s: [doc black_friday]
c: oi! esse de 12 mil é inverter?
s: É sim, LG Dual Inverter, com garantia de 10 anos no compressor.
c: e a instalação?
s: Na Black Friday a instalação padrão sai pela metade: R$ 225,00.
c: fechou! pago no pix
s: Perfeito, Daniela! Instalação na quarta, 18/11, às 15h.
== 2026-11-18
s: Daniela, técnico saindo agora.
+5h
c: instalado e gelando! obrigada 🥶
""",
    ),
]

PURCHASES = [
    ("Dra. Cristina Barros", "Higienização de 5 splits", 1, "1100.00", "2024-08-17"),
    (
        "Dra. Cristina Barros",
        "5 splits Samsung WindFree 12.000 BTUs com PMOC 12 meses",
        5,
        "18200.00",
        "2025-10-10",
    ),
    ("Jorge Batista", "Split LG Dual Inverter 12.000 BTUs instalado", 2, "4778.00", "2026-04-10"),
    ("Priscila Souza", "Split Midea Inverter 9.000 BTUs instalado", 1, "2690.00", "2025-12-09"),
    ("Sr. Antônio Cavalcanti", "Split Midea 18.000 BTUs instalado", 2, "7800.00", "2024-06-10"),
    (
        "Sr. Antônio Cavalcanti",
        "Split Samsung WindFree 24.000 BTUs instalado",
        3,
        "16074.00",
        "2025-02-17",
    ),
    ("Sr. Antônio Cavalcanti", "Higienização de 5 aparelhos", 1, "1150.00", "2026-10-19"),
    (
        "Marina Albuquerque",
        "Split LG Dual Inverter 12.000 BTUs instalado",
        1,
        "3049.00",
        "2026-01-12",
    ),
    ("Ricardo Tavares", "Split LG Dual Inverter 18.000 BTUs instalado", 1, "4340.00", "2026-02-02"),
    ("Gabriela Moura", "Higienização de split 18.000 BTUs", 1, "250.00", "2025-07-07"),
    ("Gabriela Moura", "Split Midea Inverter 18.000 BTUs instalado", 1, "3590.00", "2025-07-07"),
    (
        "Daniela Freire",
        "Split LG Dual Inverter 12.000 BTUs instalado (Black Friday)",
        1,
        "2424.00",
        "2026-11-10",
    ),
]
